using System.Text.Json.Serialization;

namespace SupplyChain.Signing.Oidc;

/// <summary>Source-generated JSON metadata for the OIDC providers.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class OidcJsonContext : JsonSerializerContext
{
}
