using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Oci.Registry.Manifests;

/// <summary>
/// image-spec manifest.md and image-index.md: <c>config</c> and <c>subject</c> are descriptors and <c>layers</c> and
/// <c>manifests</c> arrays of descriptors when present. A JSON null is neither, so it is refused as malformed rather
/// than read as an absent member (the deserializer's default), for the registry client and signature manifests alike.
/// </summary>
internal sealed class NonNullDescriptorConverter : JsonConverter<DescriptorJson>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override DescriptorJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null
            ? throw new JsonException("a descriptor member is null")
            : JsonSerializer.Deserialize(ref reader, RegistryJsonContext.Default.DescriptorJson)!;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DescriptorJson value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, RegistryJsonContext.Default.DescriptorJson);
}

/// <summary>The descriptor-list counterpart of <see cref="NonNullDescriptorConverter"/> (<c>layers</c>, <c>manifests</c>).</summary>
internal sealed class NonNullDescriptorListConverter : JsonConverter<List<DescriptorJson>>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override List<DescriptorJson> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null
            ? throw new JsonException("a descriptor list member is null")
            : JsonSerializer.Deserialize(ref reader, RegistryJsonContext.Default.ListDescriptorJson)!;

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, List<DescriptorJson> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, RegistryJsonContext.Default.ListDescriptorJson);
}
