using System.Security.Cryptography;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Testing.Virtual;

/// <summary>How <see cref="VirtualSigstore"/> signs and bundles one artifact or envelope.</summary>
public sealed class SigningOptions
{
    /// <summary>The default identity (a GitHub Actions workflow SAN URI).</summary>
    public const string DefaultIdentity = "https://github.com/virtual-org/virtual-repo/.github/workflows/release.yml@refs/heads/main";

    /// <summary>The default OIDC issuer.</summary>
    public const string DefaultIssuer = "https://token.actions.githubusercontent.com";

    /// <summary>Bundle format version: v0.1/v0.2 carry <c>x509CertificateChain</c>, v0.3 a single <c>certificate</c>.</summary>
    public BundleVersion Version { get; init; } = BundleVersion.V0_3;

    /// <summary>Which of the trusted logs records the entry.</summary>
    public LogFlavour Log { get; init; } = LogFlavour.RekorV1;

    /// <summary>Record the entry in this log instead (e.g. a spare log absent from the trusted root).</summary>
    public VirtualTransparencyLog? LogOverride { get; init; }

    /// <summary>The certificate's SAN: a URI, or an e-mail address.</summary>
    public string Identity { get; init; } = DefaultIdentity;

    /// <summary>The certificate's OIDC issuer extensions.</summary>
    public string OidcIssuer { get; init; } = DefaultIssuer;

    /// <summary>Leaf shaping (validity, extra extensions, SCT) when a leaf is issued for this signing.</summary>
    public LeafOptions? Leaf { get; init; }

    /// <summary>Sign with this pre-issued leaf (the test keeps its key) instead of issuing one.</summary>
    public LeafCertificate? Certificate { get; init; }

    /// <summary>Sign with this caller-owned ECDSA P-256 key instead of a certificate: the bundle carries <c>publicKey.hint</c>.</summary>
    public ECDsa? KeyPair { get; init; }

    /// <summary>
    /// Record this DER SubjectPublicKeyInfo as the entry's verifier instead of the certificate (Rekor v2 only: a
    /// hashedrekord 0.0.2 <c>publicKey</c> verifier, as a client may log while the bundle carries the Fulcio certificate).
    /// </summary>
    public byte[]? LogVerifierPublicKey { get; init; }

    /// <summary>
    /// The entry a Rekor v2 log records for a DSSE bundle: <see cref="RekorV2DsseEntry.HashedRekordOverPae"/> (rekor-v2-spec
    /// section 6.1.4, the default) or the withdrawn <see cref="RekorV2DsseEntry.DsseV002"/>. Ignored for Rekor v1 (dsse 0.0.1)
    /// and for message signatures.
    /// </summary>
    public RekorV2DsseEntry RekorV2Dsse { get; init; } = RekorV2DsseEntry.HashedRekordOverPae;

    /// <summary>The <c>publicKey.hint</c> of a key-signed bundle.</summary>
    public string KeyHint { get; init; } = "virtual-key";

    /// <summary>Add an RFC 3161 timestamp over the signature (needs <see cref="VirtualSigstoreOptions.TimestampMinter"/>).</summary>
    public bool Timestamp { get; init; }

    /// <summary>The timestamp's genTime; defaults to the virtual "now".</summary>
    public DateTimeOffset? TimestampTime { get; init; }

    /// <summary>The Rekor v1 integrated time; defaults to the virtual "now".</summary>
    public DateTimeOffset? IntegratedTime { get; init; }

    /// <summary>Include the inclusion proof (with checkpoint). Bundles v0.2 and v0.3 require it (the model refuses them without: SC1012).</summary>
    public bool IncludeInclusionProof { get; init; } = true;

    /// <summary>Include the Rekor v1 inclusion promise (SET); ignored for Rekor v2. Bundle v0.1 requires it (SC1012 without).</summary>
    public bool IncludeInclusionPromise { get; init; } = true;
}
