using System.Diagnostics.CodeAnalysis;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// A parsed, structurally valid Sigstore bundle (v0.1-v0.3). Parsing checks the rules of the
/// bundle's version; it does not verify anything cryptographically (see <c>SigstoreVerifier</c>).
/// </summary>
public sealed class SigstoreBundle
{
    internal SigstoreBundle(
        string mediaType,
        BundleVersion version,
        VerificationMaterial verificationMaterial,
        MessageSignature? messageSignature,
        DsseEnvelope? dsseEnvelope)
    {
        MediaType = mediaType;
        Version = version;
        VerificationMaterial = verificationMaterial;
        MessageSignature = messageSignature;
        DsseEnvelope = dsseEnvelope;
    }

    /// <summary>The bundle's media type, as written.</summary>
    public string MediaType { get; }

    /// <summary>The bundle format version.</summary>
    public BundleVersion Version { get; }

    /// <summary>The key or certificate, log entries and timestamps.</summary>
    public VerificationMaterial VerificationMaterial { get; }

    /// <summary>The signature over an artifact, when the bundle signs a message; otherwise <see langword="null"/>.</summary>
    public MessageSignature? MessageSignature { get; }

    /// <summary>The DSSE envelope, when the bundle carries an attestation; otherwise <see langword="null"/>.</summary>
    public DsseEnvelope? DsseEnvelope { get; }

    /// <summary>Parses a bundle from UTF-8 JSON, enforcing the rules of its version.</summary>
    /// <param name="utf8Json">The bundle bytes.</param>
    /// <returns>The parsed bundle.</returns>
    /// <exception cref="MalformedInputException">The bundle is malformed; <see cref="SupplyChainException.Code"/> says how.</exception>
    public static SigstoreBundle Parse(ReadOnlySpan<byte> utf8Json) => BundleParser.Parse(utf8Json);

    /// <summary>Parses a bundle without throwing.</summary>
    /// <param name="utf8Json">The bundle bytes.</param>
    /// <param name="bundle">The bundle, on success.</param>
    /// <param name="error">Why parsing failed, on failure.</param>
    /// <returns><see langword="true"/> when the bundle parsed.</returns>
    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json,
        [NotNullWhen(true)] out SigstoreBundle? bundle,
        [NotNullWhen(false)] out SupplyChainException? error)
    {
        try
        {
            bundle = BundleParser.Parse(utf8Json);
            error = null;
            return true;
        }
        catch (SupplyChainException ex)
        {
            bundle = null;
            error = ex;
            return false;
        }
    }
}
