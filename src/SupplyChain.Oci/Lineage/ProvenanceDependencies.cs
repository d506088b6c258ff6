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
            foreach (ProvenanceDependencyJson? dependency in DependenciesOf(statement))
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
    private static List<ProvenanceDependencyJson?> DependenciesOf(InTotoStatement statement)
    {
        if (!SlsaProvenance.IsProvenance(statement.PredicateType) || statement.Predicate is not { ValueKind: JsonValueKind.Object } predicate)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException($"the statement is not SLSA provenance v1 or v0.2 with an object predicate ('{Shorten(statement.PredicateType)}')");
        }

        List<ProvenanceDependencyJson?>? list;
        string name;
        try
        {
            if (statement.PredicateType == SlsaProvenance.PredicateTypeV1)
            {
                name = "resolvedDependencies";
                ProvenanceV1DependenciesJson v1 = predicate.Deserialize(LineageJsonContext.Default.ProvenanceV1DependenciesJson)!;
                list = (v1.BuildDefinition ?? throw OciErrors.ProvenanceDependenciesMalformed.ToException("buildDefinition is missing or not an object")).ResolvedDependencies;
            }
            else
            {
                name = "materials";
                list = predicate.Deserialize(LineageJsonContext.Default.ProvenanceV02DependenciesJson)!.Materials;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A dependency list that is not an array, a dependency that is not an object, a uri that is not a string.
            throw OciErrors.ProvenanceDependenciesMalformed.ToException("the dependency list does not have its provenance type's structure", ex);
        }

        if (list is null)
        {
            return [];
        }

        if (list.Count > Limits.MaxProvenanceDependencies)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException($"{name} has {list.Count} entries, more than {Limits.MaxProvenanceDependencies}");
        }

        return list;
    }

    private static (ImageDependency? Image, UnusableDependency? Unusable)? ReadOne(ProvenanceDependencyJson? dependency)
    {
        if (dependency is null)
        {
            throw OciErrors.ProvenanceDependenciesMalformed.ToException("a dependency is not an object");
        }

        if (dependency.Uri is not { } uri)
        {
            return null; // v1 allows a descriptor with only name/content: nothing to locate, not an image.
        }

        if (!ImageDependencyUri.IsImage(uri))
        {
            return null;
        }

        string? recorded = RecordedDigest(dependency.Digest, out string? digestError);
        ImageDependency? image = null;
        string? error = digestError ?? ImageDependencyUri.TryLocate(uri, recorded, out image);
        return error is null ? (image, null) : (null, new UnusableDependency(Shorten(uri), error));
    }

    /// <summary>The <c>digest</c> map's sha256 (else sha512) entry as <c>algorithm:hex</c> (in-toto DigestSet: lowercase hex).</summary>
    private static string? RecordedDigest(JsonElement digests, out string? error)
    {
        error = null;
        if (digests.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
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
