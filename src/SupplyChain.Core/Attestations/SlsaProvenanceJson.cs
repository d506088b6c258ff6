using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Core.Attestations;

/// <summary>SLSA v1 provenance (slsa.dev/spec/v1.0/provenance): the parts <see cref="SlsaProvenance"/> reads.</summary>
internal sealed class SlsaV1PredicateJson
{
    [JsonPropertyName("buildDefinition")] public SlsaBuildDefinitionJson? BuildDefinition { get; init; }
    [JsonPropertyName("runDetails")] public SlsaRunDetailsJson? RunDetails { get; init; }
}

/// <summary>
/// v1 <c>BuildDefinition</c>: <c>buildType</c>, <c>resolvedDependencies</c> and <c>internalParameters</c>, which stays a
/// JSON value: its schema is the build type's, open by definition.
/// </summary>
internal sealed class SlsaBuildDefinitionJson
{
    [JsonPropertyName("buildType")] public string? BuildType { get; init; }
    [JsonPropertyName("resolvedDependencies")] public List<SlsaResourceJson?>? ResolvedDependencies { get; init; }
    [JsonPropertyName("internalParameters")] public JsonElement InternalParameters { get; init; }
}

/// <summary>v1 <c>RunDetails</c>: the builder and the run's metadata.</summary>
internal sealed class SlsaRunDetailsJson
{
    [JsonPropertyName("builder")] public SlsaBuilderJson? Builder { get; init; }
    [JsonPropertyName("metadata")] public SlsaRunMetadataJson? Metadata { get; init; }
}

/// <summary><c>Builder</c> (v1 and v0.2): its <c>id</c>.</summary>
internal sealed class SlsaBuilderJson
{
    [JsonPropertyName("id")] public string? Id { get; init; }
}

/// <summary>v1 <c>BuildMetadata</c>: the <c>invocationId</c>.</summary>
internal sealed class SlsaRunMetadataJson
{
    [JsonPropertyName("invocationId")] public string? InvocationId { get; init; }
}

/// <summary>A v1 <c>ResourceDescriptor</c> or a v0.2 <c>configSource</c>: its <c>uri</c> and git digests.</summary>
internal sealed class SlsaResourceJson
{
    [JsonPropertyName("uri")] public string? Uri { get; init; }
    [JsonPropertyName("digest")] public SlsaDigestJson? Digest { get; init; }
}

/// <summary>The DigestSet entries that name a git commit; other algorithms are skipped.</summary>
internal sealed class SlsaDigestJson
{
    [JsonPropertyName("gitCommit")] public string? GitCommit { get; init; }
    [JsonPropertyName("sha1")] public string? Sha1 { get; init; }
}

/// <summary>SLSA v0.2 provenance (slsa.dev/provenance/v0.2): <c>builder</c>, <c>buildType</c>, <c>invocation.configSource</c>.</summary>
internal sealed class SlsaV02PredicateJson
{
    [JsonPropertyName("builder")] public SlsaBuilderJson? Builder { get; init; }
    [JsonPropertyName("buildType")] public string? BuildType { get; init; }
    [JsonPropertyName("invocation")] public SlsaV02InvocationJson? Invocation { get; init; }
}

/// <summary>v0.2 <c>invocation</c>: its <c>configSource</c>.</summary>
internal sealed class SlsaV02InvocationJson
{
    [JsonPropertyName("configSource")] public SlsaResourceJson? ConfigSource { get; init; }
}
