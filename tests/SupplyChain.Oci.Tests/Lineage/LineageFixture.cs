using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Oci.Tests.Lineage;

/// <summary>A fake registry, an image builder and shortcuts shared by the lineage tests.</summary>
public abstract class LineageFixture
{
    protected InMemoryRegistry Registry { get; } = new();

    protected LineageImages Images { get; }

    protected LineageFixture() => Images = new LineageImages(Registry);

    protected static Dictionary<string, string> Claim(string name, string? digest)
    {
        var map = new Dictionary<string, string> { [BaseImageClaim.NameKey] = name };
        if (digest is not null)
        {
            map[BaseImageClaim.DigestKey] = digest;
        }

        return map;
    }

    protected Task<LineageTree> WalkAsync(LineageImage image, LineageOptions? options = null) =>
        new LineageWalker(Registry, options).WalkAsync(image.Reference);

    protected static void AssertFailed(LineageTree tree, string code)
    {
        Assert.Equal(LineageEnd.Failed, tree.End);
        Assert.Equal(code, tree.Error?.Code);
    }

    /// <summary>A provenance source answering from a table (digest -> verified statements), and recording what it was asked.</summary>
    protected sealed class TableProvenance : IBaseImageProvenanceSource
    {
        public Dictionary<string, List<InTotoStatement>> Statements { get; } = new(StringComparer.Ordinal);

        public List<int> AskedDepths { get; } = [];

        public void Add(LineageImage image, JsonObject statement)
        {
            if (!Statements.TryGetValue(image.Digest, out List<InTotoStatement>? list))
            {
                Statements[image.Digest] = list = [];
            }

            list.Add(ProvenanceStatements.Parse(statement));
        }

        public Task<ProvenanceDependencies?> GetDependenciesAsync(LineageLevel level, CancellationToken cancellationToken = default)
        {
            AskedDepths.Add(level.Depth);
            return Task.FromResult(Statements.TryGetValue(level.Digest, out List<InTotoStatement>? statements) ? ProvenanceDependencies.Read(statements) : null);
        }
    }
}
