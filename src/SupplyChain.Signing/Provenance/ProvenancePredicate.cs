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

    /// <summary>A copy of the predicate JSON.</summary>
    public JsonObject ToJsonObject() => (JsonObject)_predicate.DeepClone();

    /// <summary>The predicate as compact UTF-8 JSON.</summary>
    public byte[] ToJsonBytes() => Encoding.UTF8.GetBytes(_predicate.ToJsonString());
}
