using System.Text;
using System.Text.Json.Nodes;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// An in-process Sigstore for tests (after sigstore-go's pkg/testing/ca VirtualSigstore): a
/// Fulcio-like CA, a CT log, a Rekor v1-style and a Rekor v2-style transparency log, and
/// optionally a TSA; it signs artifacts and DSSE envelopes into bundles and is also the trusted
/// material (<see cref="TrustedRootJson"/>) that verifies them. Keys live in memory only.
/// </summary>
/// <remarks>
/// A tampering layer over the shipped local instance (SupplyChain.Instance): leaves are issued by its
/// <c>LocalCertificateAuthority</c> with SCTs from its <c>LocalCtLog</c>, honest timestamps are its
/// <c>LocalTimestampAuthority</c>'s answers, and Rekor v2 entries go to its <c>TileLog</c> (cross-checked against the
/// kit's own <see cref="MerkleTree"/>). Rekor v1 has no counterpart in the instance and is the kit's own. See README.md.
/// </remarks>
public sealed class VirtualSigstore : IDisposable
{
    private readonly VirtualSigstoreOptions _options;
    private readonly Timestamps.TestTimestampAuthority? _ownedTimestampAuthority;

    private VirtualSigstore(VirtualSigstoreOptions options)
    {
        _options = options;
        Now = options.Now;
        if (options.TimestampMinter is null && !options.WithoutTimestampAuthority)
        {
            _ownedTimestampAuthority = Timestamps.TestTimestampAuthority.Create(options.Now.AddDays(-30), TimeSpan.FromDays(3650), "Virtual TSA");
        }

        TimestampMinter = options.TimestampMinter ?? _ownedTimestampAuthority;
        CertificateAuthority = new VirtualCertificateAuthority(Now, CtLog);
        RekorV1 = VirtualTransparencyLog.CreateRekorV1(fillerEntries: options.RekorV1FillerEntries);
        RekorV2 = VirtualTransparencyLog.CreateRekorV2(fillerEntries: options.RekorV2FillerEntries);
        TrustedRootJson = CreateTrustedRootDocument().ToJsonString();
    }

    /// <summary>The virtual "now" at which certificates are issued and entries integrated.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The Fulcio-like CA (root and intermediate, with keys).</summary>
    public VirtualCertificateAuthority CertificateAuthority { get; }

    /// <summary>The CT log that signs embedded SCTs.</summary>
    public VirtualCtLog CtLog { get; } = new();

    /// <summary>The Rekor v1-style log (ECDSA P-256, origin <c>rekor.virtual.test - 1234567890</c>).</summary>
    public VirtualTransparencyLog RekorV1 { get; }

    /// <summary>The Rekor v2-style log (Ed25519, origin <c>log2025.virtual.test</c>).</summary>
    public VirtualTransparencyLog RekorV2 { get; }

    /// <summary>The RFC 3161 minter, or <see langword="null"/> when the trusted root lists no TSA.</summary>
    public ITimestampMinter? TimestampMinter { get; }

    /// <summary>The trusted root (<c>application/vnd.dev.sigstore.trustedroot+json;version=0.1</c>) listing the CA, both logs, the CT log and the TSA.</summary>
    public string TrustedRootJson { get; }

    /// <summary><see cref="TrustedRootJson"/> as UTF-8.</summary>
    public byte[] TrustedRootBytes => Encoding.UTF8.GetBytes(TrustedRootJson);

    /// <summary>Creates a virtual Sigstore with fresh keys.</summary>
    /// <param name="options">Options; defaults give "now" = 2026-01-01T00:00:00Z and no TSA.</param>
    public static VirtualSigstore Create(VirtualSigstoreOptions? options = null) => new(options ?? new VirtualSigstoreOptions());

    /// <summary>A fresh, mutable copy of the trusted root document, for tests that edit it (paths as in sigstore_trustroot.proto JSON).</summary>
    public JsonObject CreateTrustedRootDocument() => TrustedRootWriter.Write(this, _options);

    /// <summary>The trusted log of the given flavour.</summary>
    /// <param name="flavour">Rekor v1 or v2.</param>
    public VirtualTransparencyLog GetLog(LogFlavour flavour) => flavour == LogFlavour.RekorV1 ? RekorV1 : RekorV2;

    /// <summary>
    /// Issues a Fulcio-compatible leaf with a fresh ECDSA P-256 key: empty subject, critical SAN,
    /// critical keyUsage digitalSignature, EKU codeSigning, SKI/AKI, issuer extensions .1 and .8,
    /// optional extra extensions, and (by default) an embedded SCT from <see cref="CtLog"/>.
    /// </summary>
    /// <param name="identity">The SAN: a URI, or an e-mail address (contains '@', no scheme).</param>
    /// <param name="oidcIssuer">The OIDC issuer.</param>
    /// <param name="options">Validity, extensions and SCT options.</param>
    public LeafCertificate IssueLeaf(string identity, string oidcIssuer, LeafOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentNullException.ThrowIfNull(oidcIssuer);
        return CertificateAuthority.IssueLeaf(identity, oidcIssuer, options ?? new LeafOptions(), Now);
    }

    /// <summary>Signs an artifact (message signature) and returns the bundle JSON (UTF-8).</summary>
    /// <param name="artifact">The artifact bytes.</param>
    /// <param name="options">Bundle version, log, identity, timestamp, key.</param>
    /// <exception cref="InvalidOperationException">A timestamp was asked for and there is no minter.</exception>
    public byte[] SignMessage(ReadOnlySpan<byte> artifact, SigningOptions? options = null)
    {
        options ??= new SigningOptions();
        EnsureTimestampPossible(options);
        return BundleComposer.Compose(this, options, artifact.ToArray(), null, null);
    }

    /// <summary>Signs a DSSE envelope over <paramref name="payload"/> and returns the bundle JSON (UTF-8).</summary>
    /// <param name="payloadType">The DSSE payload type (e.g. <see cref="Dsse.InTotoPayloadType"/>).</param>
    /// <param name="payload">The payload.</param>
    /// <param name="options">Bundle version, log, identity, timestamp, key.</param>
    /// <exception cref="InvalidOperationException">A timestamp was asked for and there is no minter.</exception>
    public byte[] SignDsse(string payloadType, byte[] payload, SigningOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(payloadType);
        ArgumentNullException.ThrowIfNull(payload);
        options ??= new SigningOptions();
        EnsureTimestampPossible(options);
        return BundleComposer.Compose(this, options, null, payloadType, payload);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CertificateAuthority.Dispose();
        CtLog.Dispose();
        RekorV1.Dispose();
        RekorV2.Dispose();
        _ownedTimestampAuthority?.Dispose();
    }

    private void EnsureTimestampPossible(SigningOptions options)
    {
        if (options.Timestamp && TimestampMinter is null)
        {
            throw new InvalidOperationException("this VirtualSigstore has no ITimestampMinter (VirtualSigstoreOptions.TimestampMinter)");
        }
    }
}
