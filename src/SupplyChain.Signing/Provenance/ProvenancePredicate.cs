using System.Text;
using System.Text.Json.Nodes;

namespace SupplyChain.Signing.Provenance;

/// <summary>A SLSA v1 provenance predicate built from a CI run (or a self-described builder), ready to sign.</summary>
public sealed class ProvenancePredicate
{
    /// <summary>The SLSA v1 predicate type.</summary>
    public const string SlsaV1PredicateType = "https://slsa.dev/provenance/v1";

    private readonly JsonObject _predicate;

    internal ProvenancePredicate(string ciSystem, string buildType, JsonObject predicate)
    {
        CiSystem = ciSystem;
        BuildType = buildType;
        _predicate = predicate;
    }

    /// <summary>Where it came from: <c>github-actions</c>, <c>gitlab-ci</c>, <c>buildkite</c>, <c>circleci</c> or <c>self-described</c>.</summary>
    public string CiSystem { get; }

    /// <summary>The build type URI (docs/ci.md).</summary>
    public string BuildType { get; }

    /// <summary>The predicate type: always SLSA v1.</summary>
#pragma warning disable CA1822 // An instance property, so that callers read the type from the predicate they sign.
    public string PredicateType => SlsaV1PredicateType;
#pragma warning restore CA1822

    /// <summary>
    /// A copy with <paramref name="dependencies"/> appended to <c>buildDefinition.resolvedDependencies</c> (SLSA v1: "Unordered
    /// collection of artifacts needed at build time"), each a ResourceDescriptor <c>{ uri, digest: { ALG: HEX } }</c>: the base
    /// images the build consumed, written as BuildKit writes them (<c>pkg:docker/...</c> purls), so that a verifier can follow
    /// the image's lineage from its verified provenance (docs/ci.md, "Base images in the provenance").
    /// </summary>
    /// <param name="dependencies">The dependencies: a uri and a digest <c>sha256:HEX</c> or <c>sha512:HEX</c>.</param>
    /// <returns>The new predicate.</returns>
    /// <exception cref="SupplyChain.Core.Errors.MalformedInputException">SC2130 when a dependency is invalid.</exception>
    public ProvenancePredicate WithResolvedDependencies(IEnumerable<ProvenanceDependency> dependencies)
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        JsonObject copy = ToJsonObject();
        JsonObject definition = (JsonObject)copy["buildDefinition"]!;
        if (definition["resolvedDependencies"] is not JsonArray list)
        {
            definition["resolvedDependencies"] = list = [];
        }

        foreach (ProvenanceDependency dependency in dependencies)
        {
            ArgumentNullException.ThrowIfNull(dependency);
            string[] parts = dependency.Digest?.Split(':') ?? [];
            int hexLength = parts.Length == 2 ? parts[0] switch { "sha256" => 64, "sha512" => 128, _ => -1 } : -1;
            if (string.IsNullOrEmpty(dependency.Uri) || dependency.Uri.Any(char.IsControl) || hexLength < 0 || parts[1].Length != hexLength || !parts[1].All(char.IsAsciiHexDigitLower))
            {
                throw SigningErrors.ProvenanceDependencyInvalid.ToException($"'{dependency.Uri}' with digest '{dependency.Digest}'");
            }

            list.Add((JsonNode)new JsonObject { ["uri"] = dependency.Uri, ["digest"] = new JsonObject { [parts[0]] = parts[1] } });
        }

        return new ProvenancePredicate(CiSystem, BuildType, copy);
    }

    /// <summary>A copy of the predicate JSON.</summary>
    public JsonObject ToJsonObject() => (JsonObject)_predicate.DeepClone();

    /// <summary>The predicate as compact UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(_predicate.ToJsonString());
}

/// <summary>An artifact the build consumed, for <see cref="ProvenancePredicate.WithResolvedDependencies"/>.</summary>
/// <param name="Uri">Where it is (a base image: a <c>pkg:docker</c> purl).</param>
/// <param name="Digest">Its digest, <c>sha256:HEX</c> or <c>sha512:HEX</c>.</param>
public sealed record ProvenanceDependency(string Uri, string Digest);
