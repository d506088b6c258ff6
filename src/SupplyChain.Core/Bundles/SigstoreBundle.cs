using System.Diagnostics.CodeAnalysis;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// A Sigstore bundle (v0.1-v0.3; protobuf-specs sigstore_bundle.proto), structurally valid by construction: whether
/// parsed or built in code, the rules of its version are checked before it exists. It does not verify anything
/// cryptographically (see <see cref="SigstoreVerifier"/>). Immutable; <see cref="ToJson"/> writes the protobuf-specs
/// JSON form.
/// </summary>
public sealed class SigstoreBundle : ISignedEntity
{
    /// <summary>Builds a bundle that signs an artifact's bytes.</summary>
    /// <param name="mediaType">The media type, which names the version (<see cref="BundleMediaTypes"/>).</param>
    /// <param name="verificationMaterial">Key or certificate, log entries, timestamps.</param>
    /// <param name="messageSignature">The signature.</param>
    /// <exception cref="MalformedInputException">SC1007 for an unknown media type; SC1012 when the material breaks a rule of the version.</exception>
    public SigstoreBundle(string mediaType, VerificationMaterial verificationMaterial, MessageSignature messageSignature)
        : this(mediaType, verificationMaterial, messageSignature ?? throw new ArgumentNullException(nameof(messageSignature)), null)
    {
    }

    /// <summary>Builds a bundle that carries a DSSE envelope (an attestation).</summary>
    /// <param name="mediaType">The media type, which names the version (<see cref="BundleMediaTypes"/>).</param>
    /// <param name="verificationMaterial">Key or certificate, log entries, timestamps.</param>
    /// <param name="dsseEnvelope">The envelope.</param>
    /// <exception cref="MalformedInputException">SC1007 for an unknown media type; SC1012 when the material breaks a rule of the version.</exception>
    public SigstoreBundle(string mediaType, VerificationMaterial verificationMaterial, DsseEnvelope dsseEnvelope)
        : this(mediaType, verificationMaterial, null, dsseEnvelope ?? throw new ArgumentNullException(nameof(dsseEnvelope)))
    {
    }

    private SigstoreBundle(string mediaType, VerificationMaterial verificationMaterial, MessageSignature? messageSignature, DsseEnvelope? dsseEnvelope)
    {
        ArgumentNullException.ThrowIfNull(mediaType);
        ArgumentNullException.ThrowIfNull(verificationMaterial);
        if (!BundleMediaTypes.TryGetVersion(mediaType, out BundleVersion version))
        {
            throw CoreErrors.BundleUnsupportedMediaType.ToException($"'{Printable.Cut(mediaType)}'");
        }

        BundleVersionRules.Check(version, verificationMaterial);
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

    /// <summary>
    /// The bundle as UTF-8 JSON in the protobuf-specs JSON form (proto3 JSON mapping): lowerCamelCase names in the
    /// order the protos declare them, int64 as decimal strings, bytes as padded standard base64, fields holding their
    /// default value left out (except DSSE <c>keyid</c>, kept as given), no insignificant whitespace, ASCII only
    /// (other characters as <c>\uXXXX</c>). Parsing the result gives an equal bundle, and writing that again gives the
    /// same bytes (docs/verification.md, "Bundle JSON").
    /// </summary>
    /// <returns>The bundle JSON.</returns>
    public byte[] ToJson() => BundleWriter.Write(this);
}
