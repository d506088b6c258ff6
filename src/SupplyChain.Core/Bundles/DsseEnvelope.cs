using System.Diagnostics.CodeAnalysis;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>A DSSE envelope (secure-systems-lab/dsse envelope.proto). Immutable.</summary>
public sealed class DsseEnvelope
{
    private readonly byte[] _payload;

    /// <summary>Builds an envelope, checking its fields.</summary>
    /// <param name="payload">The payload bytes (copied).</param>
    /// <param name="payloadType">The payload type, such as <c>application/vnd.in-toto+json</c>.</param>
    /// <param name="signatures">The signatures over PAE(payloadType, payload): at least one, at most 16.</param>
    /// <exception cref="MalformedInputException">SC1009 without signatures or payload type; SC1001 for too many signatures; SC1016 for a payload type that is not Unicode text.</exception>
    public DsseEnvelope(ReadOnlyMemory<byte> payload, string payloadType, IEnumerable<DsseSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(signatures);
        _payload = payload.ToArray();
        PayloadType = BundleFields.Text(payloadType, "dsseEnvelope.payloadType");
        Signatures = BundleFields.List(signatures, Limits.MaxDsseSignatures, "DSSE signatures", static (s, i) => s ?? throw new ArgumentException($"signature {i} is null", nameof(signatures)));
        if (Signatures.Count == 0)
        {
            throw CoreErrors.BundleMissingField.ToException("dsseEnvelope.signatures");
        }
    }

    /// <summary>The payload bytes (decoded from base64).</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>The payload type, such as <c>application/vnd.in-toto+json</c>.</summary>
    public string PayloadType { get; }

    /// <summary>The signatures over PAE(payloadType, payload).</summary>
    public IReadOnlyList<DsseSignature> Signatures { get; }

    /// <summary>
    /// Parses a DSSE envelope from its JSON form (<c>{"payload":B64,"payloadType":T,"signatures":[{"sig":B64,"keyid":K}]}</c>,
    /// the form of a bundle's <c>dsseEnvelope</c> and of cosign's <c>.att</c> layers), as strictly as a bundle: no
    /// unknown fields, duplicate keys or trailing data; strict base64.
    /// </summary>
    /// <param name="utf8Json">The envelope JSON.</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="MalformedInputException">The envelope is malformed; the SC10xx code says how.</exception>
    public static DsseEnvelope Parse(ReadOnlySpan<byte> utf8Json) => BundleParser.ParseEnvelopeDocument(utf8Json);

    /// <summary>Parses a DSSE envelope without throwing.</summary>
    /// <param name="utf8Json">The envelope JSON.</param>
    /// <param name="envelope">The envelope, on success.</param>
    /// <param name="error">Why parsing failed, on failure.</param>
    /// <returns><see langword="true"/> when the envelope parsed.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json,
        [NotNullWhen(true)] out DsseEnvelope? envelope,
        [NotNullWhen(false)] out SupplyChainException? error)
    {
        try
        {
            envelope = Parse(utf8Json);
            error = null;
            return true;
        }
        catch (MalformedInputException ex)
        {
            envelope = null;
            error = ex;
            return false;
        }
    }
}

/// <summary>One DSSE signature. Immutable.</summary>
public sealed class DsseSignature
{
    private readonly byte[] _signature;

    /// <summary>Builds a DSSE signature.</summary>
    /// <param name="signature">The raw signature bytes (copied; not empty).</param>
    /// <param name="keyId">The optional, unauthenticated key ID; <see langword="null"/> leaves <c>keyid</c> out of the JSON, an empty string writes <c>"keyid":""</c>.</param>
    /// <exception cref="MalformedInputException">SC1009 for an empty signature; SC1016 for a key ID that is not Unicode text.</exception>
    public DsseSignature(ReadOnlyMemory<byte> signature, string? keyId)
    {
        _signature = BundleFields.Required(signature, "dsseEnvelope.signatures[].sig");
        KeyId = keyId is null ? null : BundleFields.Text(keyId, "dsseEnvelope.signatures[].keyid");
    }

    /// <summary>The raw signature bytes.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>The optional key ID (<see langword="null"/> when the JSON has no <c>keyid</c>).</summary>
    public string? KeyId { get; }
}
