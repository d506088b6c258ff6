using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>A descriptor as JSON (image spec <c>descriptor.md</c>).</summary>
internal sealed class DescriptorJson
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
    [JsonPropertyName("size")] public long? Size { get; set; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("platform")] public PlatformJson? Platform { get; set; }
    [JsonPropertyName("urls")] public List<string>? Urls { get; set; }
    [JsonPropertyName("data")] public string? Data { get; set; }
}

/// <summary>A platform as JSON (image spec <c>image-index.md</c>).</summary>
internal sealed class PlatformJson
{
    [JsonPropertyName("os")] public string? Os { get; set; }
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }
    [JsonPropertyName("variant")] public string? Variant { get; set; }
    [JsonPropertyName("os.version")] public string? OsVersion { get; set; }
    [JsonPropertyName("os.features")] public List<string>? OsFeatures { get; set; }
}

/// <summary>An image manifest or index as JSON: the union of both schemas (the media type says which it is).</summary>
internal sealed class ManifestJson
{
    [JsonPropertyName("schemaVersion")] public int? SchemaVersion { get; set; }
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }
    [JsonPropertyName("config")][JsonConverter(typeof(NonNullDescriptorConverter))] public DescriptorJson? Config { get; set; }
    [JsonPropertyName("layers")][JsonConverter(typeof(NonNullDescriptorListConverter))] public List<DescriptorJson>? Layers { get; set; }
    [JsonPropertyName("manifests")][JsonConverter(typeof(NonNullDescriptorListConverter))] public List<DescriptorJson>? Manifests { get; set; }
    [JsonPropertyName("subject")][JsonConverter(typeof(NonNullDescriptorConverter))] public DescriptorJson? Subject { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>A bearer token answer (distribution token spec: <c>token</c> or <c>access_token</c>, <c>expires_in</c>).</summary>
internal sealed class TokenJson
{
    [JsonPropertyName("token")] public string? Token { get; set; }
    [JsonPropertyName("access_token")] public string? AccessToken { get; set; }
    [JsonPropertyName("expires_in")] public int? ExpiresIn { get; set; }
}

/// <summary>A tag list page (distribution spec: <c>{"name": ..., "tags": [...]}</c>).</summary>
internal sealed class TagListJson
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("tags")] public List<string>? Tags { get; set; }
}

/// <summary>A distribution error body: <c>{"errors":[{"code":...,"message":...}]}</c>.</summary>
internal sealed class ErrorBodyJson
{
    [JsonPropertyName("errors")] public List<ErrorJson>? Errors { get; set; }
}

/// <summary>One distribution error.</summary>
internal sealed class ErrorJson
{
    [JsonPropertyName("code")] public string? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

/// <summary>A Docker config.json (the parts read for credentials).</summary>
internal sealed class DockerConfigJson
{
    [JsonPropertyName("auths")] public Dictionary<string, DockerAuthJson>? Auths { get; set; }
    [JsonPropertyName("credHelpers")] public Dictionary<string, string>? CredHelpers { get; set; }
    [JsonPropertyName("credsStore")] public string? CredsStore { get; set; }
}

/// <summary>One <c>auths</c> entry of a Docker config.json.</summary>
internal sealed class DockerAuthJson
{
    [JsonPropertyName("auth")] public string? Auth { get; set; }
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; set; }
}

/// <summary>A credential helper's answer to <c>get</c>.</summary>
internal sealed class CredentialHelperJson
{
    [JsonPropertyName("ServerURL")] public string? ServerUrl { get; set; }
    [JsonPropertyName("Username")] public string? Username { get; set; }
    [JsonPropertyName("Secret")] public string? Secret { get; set; }
}

/// <summary>An OCI layout's <c>oci-layout</c> marker (image-spec <c>image-layout.md</c>).</summary>
internal sealed class LayoutMarkerJson
{
    [JsonPropertyName("imageLayoutVersion")] public string? ImageLayoutVersion { get; set; }
}

/// <summary>Source-generated JSON metadata for the registry client and OCI layouts; reads with a depth cap, writes compactly without nulls.</summary>
[JsonSourceGenerationOptions(MaxDepth = 32, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ManifestJson))]
[JsonSerializable(typeof(DescriptorJson))]
[JsonSerializable(typeof(List<DescriptorJson>))]
[JsonSerializable(typeof(TokenJson))]
[JsonSerializable(typeof(TagListJson))]
[JsonSerializable(typeof(ErrorBodyJson))]
[JsonSerializable(typeof(DockerConfigJson))]
[JsonSerializable(typeof(CredentialHelperJson))]
[JsonSerializable(typeof(LayoutMarkerJson))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext
{
}
