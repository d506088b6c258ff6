using System.Globalization;
using System.Text;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Policy.Tests.Generative;

/// <summary>Where a level's base-image claim is written.</summary>
public enum ClaimPlace
{
    /// <summary>No claim.</summary>
    None,

    /// <summary>The manifest's annotations.</summary>
    ManifestAnnotation,

    /// <summary>The config's labels.</summary>
    ConfigLabel,
}

/// <summary>A claim as the generator wrote it: scratch, or a base (name + digest) that may or may not be the level's true base.</summary>
/// <param name="Scratch">Whether it names scratch.</param>
/// <param name="Target">The claimed base level (null for scratch).</param>
public sealed record ClaimSpec(bool Scratch, GraphLevel? Target)
{
    public Dictionary<string, string> Values() => Scratch
        ? new() { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch }
        : new() { [BaseImageClaim.NameKey] = Target!.Repository + ":1", [BaseImageClaim.DigestKey] = Target.Digest };

    /// <summary>What two claims are compared by (the reader's rule: scratch, or the digest).</summary>
    public string Identity => Scratch ? "scratch" : Target!.Digest;

    public override string ToString() => Scratch ? "scratch" : Target!.Label;
}

/// <summary>One platform image manifest of the graph: its repository, layers, claim, signers, and (once pushed) digest.</summary>
public sealed class GraphLevel
{
    public required string Repository { get; init; }

    public required IReadOnlyList<string> Layers { get; init; }

    public ClaimSpec? Claim { get; init; }

    public ClaimPlace Place { get; init; }

    public required IReadOnlySet<string> Signers { get; init; }

    public required string Label { get; init; }

    public string Digest { get; set; } = "";

    public ImageReference Reference => ImageReference.Parse(Repository).WithDigest(Digest);

    public string Name => Repository;
}

/// <summary>One entry of the top index: a runnable platform manifest, or a manifest a node never runs (<c>unknown/unknown</c>).</summary>
public sealed record GraphEntry(OciPlatform Platform, GraphLevel Level)
{
    public bool Runnable => Platform.Os != "unknown" && Platform.Architecture != "unknown";
}

/// <summary>
/// A random image graph (one seed): what the reference names (a manifest, or an index over 1-3 entries, some
/// <c>unknown/unknown</c>), each platform manifest's chain of claimed bases (0-4 layers each, true or forged diff_id
/// prefixes, claims in manifest annotations or config labels, or in the index's annotations for every entry), and the
/// signers (test keys <c>ci</c>, <c>pub</c>, <c>stranger</c>) of every manifest and of the index.
/// </summary>
public sealed class ImageGraph
{
    public static readonly string[] Keys = ["ci", "pub", "stranger"];

    private static readonly string[] BaseRepositories = ["registry.test/base", "registry.test/runtime", "vendor.test/os", "unruled.test/os"];
    private static readonly OciPlatform[] Platforms = [new("linux", "amd64"), new("linux", "arm64"), new("unknown", "unknown")];

    private readonly Random _random;
    private int _next;

    private ImageGraph(int seed)
    {
        _random = new Random(seed);
    }

    /// <summary>The single manifest the reference names, when it names no index.</summary>
    public GraphLevel? Manifest { get; private set; }

    /// <summary>The index's entries, when the reference names an index.</summary>
    public IReadOnlyList<GraphEntry> Entries { get; private set; } = [];

    /// <summary>The index's own signers.</summary>
    public IReadOnlySet<string> IndexSigners { get; private set; } = new HashSet<string>();

    /// <summary>A claim in the index's annotations (seen by every entry, covered only when the index is signed).</summary>
    public ClaimSpec? IndexClaim { get; private set; }

    public string IndexDigest { get; set; } = "";

    public bool IsIndex => Manifest is null;

    /// <summary>Every level of the graph (for trusted-root digests and the description).</summary>
    public List<GraphLevel> All { get; } = [];

    public static ImageGraph Generate(int seed)
    {
        var graph = new ImageGraph(seed);
        if (graph._random.Next(3) == 0)
        {
            graph.Manifest = graph.Level(0);
            return graph;
        }

        int count = 1 + graph._random.Next(3);
        var entries = new List<GraphEntry>();
        for (int i = 0; i < count; i++)
        {
            OciPlatform platform = Platforms[graph._random.Next(Platforms.Length)];
            entries.Add(new GraphEntry(platform, graph.Level(0)));
        }

        graph.Entries = entries;
        graph.IndexSigners = graph.SignerSet(0.35);
        int claim = graph._random.Next(6);
        graph.IndexClaim = claim == 0 ? new ClaimSpec(true, null)
            : claim == 1 && graph.All.FirstOrDefault(l => l.Repository != "registry.test/app") is { } target ? new ClaimSpec(false, target)
            : null;
        return graph;
    }

    /// <summary>Pushes every level (bases first) and the index into <paramref name="images"/>' registry; returns the reference the workload names.</summary>
    public ImageReference Push(LineageImages images, Action<string, ImageReference> sign)
    {
        ArgumentNullException.ThrowIfNull(images);
        foreach (GraphLevel level in All)
        {
            Dictionary<string, string>? claim = level.Claim?.Values();
            var labels = new Dictionary<string, string> { ["nonce"] = level.Label };
            if (level.Place == ClaimPlace.ConfigLabel && claim is not null)
            {
                foreach (KeyValuePair<string, string> kv in claim)
                {
                    labels[kv.Key] = kv.Value;
                }
            }

            OciPlatform platform = Entries.FirstOrDefault(e => e.Level == level)?.Platform is { Os: not "unknown" } p ? p : new OciPlatform("linux", "amd64");
            LineageImage pushed = images.Push(level.Repository, level.Layers, tag: null, annotations: level.Place == ClaimPlace.ManifestAnnotation ? claim : null, labels: labels, platform: platform);
            level.Digest = pushed.Digest;
            foreach (string key in level.Signers)
            {
                sign(key, level.Reference);
            }
        }

        if (Manifest is { } single)
        {
            return single.Reference;
        }

        LineageImage index = images.PushIndex("registry.test/app", Entries.Select(e => (Images(e.Level), e.Platform)), annotations: IndexClaim?.Values());
        IndexDigest = index.Digest;
        foreach (string key in IndexSigners)
        {
            sign(key, index.Reference);
        }

        return index.Reference;

        static LineageImage Images(GraphLevel level) => new(level.Reference, []);
    }

    /// <summary>A short description: one line per level (label, repository, layers, claim, signers), then the index.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (GraphLevel level in All)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {level.Label} {level.Repository} layers[{string.Join(",", level.Layers)}] claim={level.Claim?.ToString() ?? "-"}@{level.Place} signers={{{string.Join(",", level.Signers.Order())}}} {Short(level.Digest)}\n");
        }

        if (IsIndex)
        {
            text.Append(CultureInfo.InvariantCulture, $"  index {Short(IndexDigest)} entries[{string.Join(", ", Entries.Select(e => $"{e.Platform.Os}/{e.Platform.Architecture}={e.Level.Label}"))}] signers={{{string.Join(",", IndexSigners.Order())}}} claim={IndexClaim?.ToString() ?? "-"}\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  single manifest {Manifest!.Label}\n");
        }

        return text.ToString();
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    private GraphLevel Level(int depth)
    {
        string repository = depth == 0 ? "registry.test/app" : BaseRepositories[_random.Next(BaseRepositories.Length)];
        string label = "L" + (_next++).ToString(CultureInfo.InvariantCulture);
        int kind = depth >= 3 ? _random.Next(2) : _random.Next(5);
        ClaimSpec? claim;
        List<string> layers;
        if (kind >= 2)
        {
            GraphLevel baseLevel = Level(depth + 1);
            claim = new ClaimSpec(false, baseLevel);
            bool forged = _random.Next(6) == 0;
            layers = forged
                ? Words(label, 1 + _random.Next(3))
                : [.. baseLevel.Layers, .. Words(label, _random.Next(3))];
        }
        else
        {
            claim = kind == 1 ? new ClaimSpec(true, null) : null;
            layers = Words(label, _random.Next(5));
        }

        var level = new GraphLevel
        {
            Repository = repository,
            Layers = layers,
            Claim = claim,
            Place = claim is null ? ClaimPlace.None : _random.Next(2) == 0 ? ClaimPlace.ManifestAnnotation : ClaimPlace.ConfigLabel,
            Signers = SignerSet(0.75),
            Label = label,
        };
        All.Add(level);
        return level;
    }

    private List<string> Words(string label, int count) =>
        Enumerable.Range(0, count).Select(i => label + "-" + i.ToString(CultureInfo.InvariantCulture) + "-" + _random.Next(1000).ToString(CultureInfo.InvariantCulture)).ToList();

    private HashSet<string> SignerSet(double signedProbability)
    {
        var signers = new HashSet<string>(StringComparer.Ordinal);
        if (_random.NextDouble() >= signedProbability)
        {
            return signers;
        }

        foreach (string key in Keys)
        {
            if (_random.Next(key == "stranger" ? 5 : 2) == 0)
            {
                signers.Add(key);
            }
        }

        if (signers.Count == 0)
        {
            signers.Add(Keys[_random.Next(2)]);
        }

        return signers;
    }
}
