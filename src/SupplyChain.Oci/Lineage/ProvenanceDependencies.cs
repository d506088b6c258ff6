using System.Text.Json;
using SupplyChain.Core.Attestations;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Oci.Lineage;

/// <summary>
/// The images verified SLSA provenance says a build consumed: the base candidates of one lineage level. Read from SLSA v1
/// <c>buildDefinition.resolvedDependencies</c> (slsa.dev/spec/v1.0/provenance: "Unordered collection of artifacts needed at
/// build time") and v0.2 <c>materials</c> ("Unordered collection of artifacts that influenced the build"). A dependency
/// is an image when its <c>uri</c> is a <c>pkg:docker</c> or <c>pkg:oci</c> purl (BuildKit writes
/// <c>pkg:docker/alpine@3.17?platform=linux%2Famd64</c> with the digest beside it) or an image reference carrying a
/// digest; other dependencies (git sources, HTTP files, other purl types) are not images and are ignored. An image
/// dependency that cannot be located is recorded in <see cref="Unusable"/> (SC4650).
/// </summary>
public sealed class ProvenanceDependencies
{
    private ProvenanceDependencies(IReadOnlyList<ImageDependency> images, IReadOnlyList<UnusableDependency> unusable, int statements)
    {
        Images = images;
        Unusable = unusable;
        Statements = statements;
    }

    /// <summary>The located image dependencies, each once (by reference and digest), in the order the provenance lists them.</summary>
    public IReadOnlyList<ImageDependency> Images { get; }

    /// <summary>The image dependencies that could not be located.</summary>
    public IReadOnlyList<UnusableDependency> Unusable { get; }

    /// <summary>How many verified provenance statements they were read from.</summary>
    public int Statements { get; }

    /// <summary>Reads the image dependencies of verified SLSA provenance statements (v1 or v0.2), merged.</summary>
    /// <param name="statements">The statements, each verified by the caller (signature, signer, subject).</param>
    /// <returns>The dependencies.</returns>
    /// <exception cref="Core.Errors.MalformedInputException">SC4651 when a statement's dependency list is malformed or longer than 4096 entries.</exception>
    public static ProvenanceDependencies Read(IEnumerable<InTotoStatement> statements)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var images = new List<ImageDependency>();
        var unusable = new List<UnusableDependency>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int count = 0;
        foreach (InTotoStatement statement in statements)
        {
            count++;
            foreach (JsonElement dependency in DependenciesOf(statement))
            {
                if (ReadOne(dependency) is not { } read)
                {
                    continue;
                }

                if (read.Image is { } image && seen.Add(image.Reference.Registry + "/" + image.Reference.Repository + "@" + image.Digest))
                {
                    images.Add(image);
                }
                else if (read.Unusable is { } bad)
                {
                    unusable.Add(bad);
                }
            }
        }

        return new ProvenanceDependencies(images, unusable, count);
    }

    /// <summary>The dependency array: v1 <c>buildDefinition.resolvedDependencies</c>, v0.2 <c>materials</c>; empty when absent.</summary>
    private static List<JsonElement> DependenciesOf(InTotoStatement statement)
    {
        if (!SlsaProvenance.IsProvenance(statement.PredicateType) || statement.Predicate is not { ValueKind: JsonValueKind.Object } predicate)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException($"the statement is not SLSA provenance v1 or v0.2 with an object predicate ('{Shorten(statement.PredicateType)}')");
        }

        JsonElement holder = predicate;
        string name = "materials";
        if (statement.PredicateType == SlsaProvenance.PredicateTypeV1)
        {
            name = "resolvedDependencies";
            if (!predicate.TryGetProperty("buildDefinition", out holder) || holder.ValueKind != JsonValueKind.Object)
            {
                throw OciErrors.ProvenanceDependenciesMalformed.ToException("buildDefinition is missing or not an object");
            }
        }

        if (!holder.TryGetProperty(name, out JsonElement list) || list.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException($"{name} is not an array");
        }

        if (list.GetArrayLength() > Limits.MaxProvenanceDependencies)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException($"{name} has {list.GetArrayLength()} entries, more than {Limits.MaxProvenanceDependencies}");
        }

        return [.. list.EnumerateArray()];
    }

    private static (ImageDependency? Image, UnusableDependency? Unusable)? ReadOne(JsonElement dependency)
    {
        if (dependency.ValueKind != JsonValueKind.Object)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException("a dependency is not an object");
        }

        if (!dependency.TryGetProperty("uri", out JsonElement uriElement) || uriElement.ValueKind == JsonValueKind.Null)
        {
            return null; // v1 allows a descriptor with only name/content: nothing to locate, not an image.
        }

        if (uriElement.ValueKind != JsonValueKind.String)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException("a dependency's uri is not a string");
        }

        string uri = uriElement.GetString()!;
        if (!ImageDependencyUri.IsImage(uri))
        {
            return null;
        }

        string? recorded = RecordedDigest(dependency, out string? digestError);
        ImageDependency? image = null;
        string? error = digestError ?? ImageDependencyUri.TryLocate(uri, recorded, out image);
        return error is null ? (image, null) : (null, new UnusableDependency(Shorten(uri), error));
    }

    /// <summary>The <c>digest</c> map's sha256 (else sha512) entry as <c>algorithm:hex</c> (in-toto DigestSet: lowercase hex).</summary>
    private static string? RecordedDigest(JsonElement dependency, out string? error)
    {
        error = null;
        if (!dependency.TryGetProperty("digest", out JsonElement digests) || digests.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (digests.ValueKind != JsonValueKind.Object)
        {
            error = "its digest is not an object";
            return null;
        }

        foreach (string algorithm in (string[])["sha256", "sha512"])
        {
            if (digests.TryGetProperty(algorithm, out JsonElement hex))
            {
                string candidate = algorithm + ":" + (hex.ValueKind == JsonValueKind.String ? hex.GetString() : "");
                if (!OciDigest.IsValid(candidate))
                {
                    error = $"its {algorithm} digest is not lowercase hex of the right length";
                    return null;
                }

                return candidate;
            }
        }

        return null;
    }

    private static string Shorten(string value) => value.Length <= 200 ? value : value[..200] + "...";
}
