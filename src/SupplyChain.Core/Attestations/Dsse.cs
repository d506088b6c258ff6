using System.Globalization;

namespace SupplyChain.Core.Attestations;

/// <summary>DSSE (secure-systems-lab/dsse protocol.md) helpers.</summary>
public static class Dsse
{
    /// <summary>The in-toto payload type.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>
    /// The pre-authentication encoding the signature covers (DSSE protocol.md):
    /// <c>"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body</c>, lengths in ASCII decimal.
    /// </summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="payload">The payload bytes.</param>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        byte[] type = System.Text.Encoding.UTF8.GetBytes(payloadType);
        byte[] header = System.Text.Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"DSSEv1 {type.Length} {payloadType} {payload.Length} "));
        byte[] pae = new byte[header.Length + payload.Length];
        header.CopyTo(pae, 0);
        payload.CopyTo(pae.AsSpan(header.Length));
        return pae;
    }
}
