using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Trust;

/// <summary>Shared strict reading of trust documents (trusted root, signing config).</summary>
internal static class TrustDocument
{
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8Json, JsonTypeInfo<T> typeInfo, ErrorCode malformed)
        where T : class
    {
        if (utf8Json.Length > Limits.MaxTrustDocumentBytes)
        {
            throw CoreErrors.TrustedRootTooLarge.ToException($"{utf8Json.Length} bytes, limit {Limits.MaxTrustDocumentBytes}");
        }

        JsonPreflightFailure failure = JsonPreflight.Check(utf8Json, Limits.MaxJsonDepth, out string? detail);
        if (failure != JsonPreflightFailure.None)
        {
            throw malformed.ToException($"{failure}: {detail}");
        }

        try
        {
            return JsonSerializer.Deserialize(utf8Json, typeInfo) ?? throw malformed.ToException("the document is null");
        }
        catch (JsonException ex)
        {
            throw malformed.ToException($"at {ex.Path}", ex);
        }
    }
}
