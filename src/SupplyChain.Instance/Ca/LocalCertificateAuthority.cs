using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SupplyChain.Instance.Ca;

/// <summary>
/// The instance's Fulcio-shaped CA: an ECDSA P-384 root and intermediate (as Fulcio's public-good chain) issuing
/// 10-minute code-signing leaves for a submitted public key, with the Fulcio issuer extensions
/// (1.3.6.1.4.1.57264.1.1 and .1.8, sigstore/fulcio docs/oid-info.md) and one embedded SCT from a CT log
/// (<see cref="ICtLogSigner"/>). It checks no token and no proof of possession: the caller (the instance's Fulcio
/// endpoint, or an embedder that authenticated the requester) decides whom to certify. Thread-safe.
/// </summary>
public sealed class LocalCertificateAuthority : IDisposable
{
    /// <summary>Fulcio's leaf lifetime.</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromMinutes(10);

    private const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";
    private const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    private readonly X509Certificate2 _intermediate;
    private readonly ECDsa _intermediateKey;
    private readonly ICtLogSigner? _ctLog;
    private readonly IDisposable? _ownedCtLog;
    private readonly byte[] _issuerSpki;

    /// <summary>
    /// A CA over an existing chain (Fulcio's "file CA"): <paramref name="intermediate"/> signs the leaves with
    /// <paramref name="intermediateKey"/>. The CA owns the certificates and key from now on and disposes them; it does
    /// not dispose <paramref name="ctLog"/>.
    /// </summary>
    /// <param name="root">The root certificate.</param>
    /// <param name="intermediate">The issuing intermediate (its private key not needed).</param>
    /// <param name="intermediateKey">The intermediate's ECDSA private key.</param>
    /// <param name="ctLog">The CT log whose SCT every leaf embeds, or <see langword="null"/> for leaves without SCTs.</param>
    public LocalCertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate, ECDsa intermediateKey, ICtLogSigner? ctLog)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(intermediate);
        ArgumentNullException.ThrowIfNull(intermediateKey);
        Root = root;
        _intermediate = intermediate;
        _intermediateKey = intermediateKey;
        _ctLog = ctLog;
        _issuerSpki = intermediate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The instance's own CA: it owns and disposes its CT log key.</summary>
    internal LocalCertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate, ECDsa intermediateKey, ECDsa ctKey)
        : this(root, intermediate, intermediateKey, new LocalCtLog(ctKey))
    {
        _ownedCtLog = (LocalCtLog)_ctLog!;
    }

    /// <summary>The root certificate.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing intermediate.</summary>
    public X509Certificate2 Intermediate => _intermediate;

    /// <summary>The chain the trusted root lists: intermediate, root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [_intermediate, Root];

    /// <summary>
    /// Creates a new chain for a CA (as <c>signcli instance init</c> does): a self-signed root and an intermediate
    /// (code-signing EKU, path length 0), both ECDSA P-384, valid from five minutes before <paramref name="now"/> for
    /// 10 years, named after <c>supplychain.localhost</c>.
    /// </summary>
    /// <param name="now">The creation time.</param>
    /// <returns>The certificates and their keys; the caller owns them all.</returns>
    public static (X509Certificate2 Root, X509Certificate2 Intermediate, ECDsa RootKey, ECDsa IntermediateKey) CreateChain(DateTimeOffset now)
    {
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var rootRequest = new CertificateRequest("O=supplychain.localhost, CN=supplychain-local-root", rootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var rootSki = new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false);
        rootRequest.CertificateExtensions.Add(rootSki);
        X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        var request = new CertificateRequest("O=supplychain.localhost, CN=supplychain-local-intermediate", intermediateKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigningOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(rootSki));
        X509Certificate2 intermediate = request.Create(root, now.AddMinutes(-5), now.AddYears(10).AddMinutes(-1), Serial());
        return (root, intermediate, rootKey, intermediateKey);
    }

    /// <summary>
    /// Issues a leaf for <paramref name="publicKey"/>: SAN <paramref name="identity"/> (rfc822Name for an email,
    /// else uniformResourceIdentifier), the issuer extensions, code-signing EKU, valid from <paramref name="now"/>
    /// for 10 minutes, with an embedded SCT.
    /// </summary>
    internal X509Certificate2 Issue(PublicKey publicKey, string identity, bool identityIsEmail, string issuer, DateTimeOffset now, IReadOnlyList<CiExtension>? ciExtensions = null)
    {
        // Fulcio docs/oid-info.md: .2-.6 hold the claim's bytes, .9 onwards a DER UTF8String.
        var extensions = (ciExtensions ?? [])
            .Select(e => new X509Extension(e.Oid, e.Raw ? Encoding.UTF8.GetBytes(e.Value) : Utf8String(e.Value), false))
            .ToList();
        IssuedLeafCertificate issued = Issue(new LeafCertificateRequest
        {
            PublicKey = publicKey,
            Identity = identity,
            IdentityIsEmail = identityIsEmail,
            Issuer = issuer,
            IssuedAt = now,
            ExtraExtensions = extensions,
        });
        return issued.Certificate;
    }

    /// <summary>
    /// Issues a Fulcio-shaped leaf: empty subject, critical SAN, critical keyUsage digitalSignature, EKU codeSigning,
    /// SKI/AKI, the issuer extensions, <see cref="LeafCertificateRequest.ExtraExtensions"/>, then (unless turned off or
    /// there is no CT log) the SCT list. RFC 6962 section 3.3: the SCT signs the TBS of the final certificate without
    /// the SCT list extension, so that certificate is built first with identical fields.
    /// </summary>
    /// <param name="request">The key, identity, issuer and issuance choices.</param>
    /// <returns>The leaf (the caller disposes it), its precertificate TBS and SCT.</returns>
    public IssuedLeafCertificate Issue(LeafCertificateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.PublicKey);
        ArgumentException.ThrowIfNullOrEmpty(request.Identity);
        ArgumentNullException.ThrowIfNull(request.Issuer);
        ArgumentNullException.ThrowIfNull(request.ExtraExtensions);
        bool email = request.IdentityIsEmail
            ?? (request.Identity.Contains('@', StringComparison.Ordinal) && !request.Identity.Contains("://", StringComparison.Ordinal));
        DateTimeOffset notBefore = request.NotBefore ?? request.IssuedAt;
        DateTimeOffset notAfter = notBefore + (request.Lifetime ?? LeafLifetime);
        byte[] serial = Serial();
        var generator = X509SignatureGenerator.CreateForECDsa(_intermediateKey);
        PublicKey publicKey = request.PublicKey;
        var certificateRequest = new CertificateRequest(new X500DistinguishedName([0x30, 0x00]), publicKey, HashAlgorithmName.SHA384);
        certificateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        certificateRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigningOid)], false));
        certificateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        certificateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_intermediate, true, false));

        // RFC 5280 section 4.2.1.6: "If the subject field contains an empty sequence, ... the subjectAltName extension ... MUST be critical".
        certificateRequest.CertificateExtensions.Add(new X509Extension("2.5.29.17", SubjectAlternativeName(request.Identity, email), true));
        certificateRequest.CertificateExtensions.Add(new X509Extension(IssuerV1Oid, Encoding.UTF8.GetBytes(request.Issuer), false));
        certificateRequest.CertificateExtensions.Add(new X509Extension(IssuerV2Oid, Utf8String(request.Issuer), false));
        foreach (X509Extension extension in request.ExtraExtensions)
        {
            certificateRequest.CertificateExtensions.Add(extension);
        }

        byte[] tbs;
        X509Certificate2 precertificate = certificateRequest.Create(_intermediate.SubjectName, generator, notBefore, notAfter, serial);
        ICtLogSigner? ctLog = request.CtLog ?? _ctLog;
        if (!request.EmbedSct || ctLog is null)
        {
            return new IssuedLeafCertificate(precertificate, TbsCertificate(precertificate.RawData), null);
        }

        using (precertificate)
        {
            tbs = TbsCertificate(precertificate.RawData);
        }

        byte[] sct = ctLog.SignPrecertificate(_issuerSpki, tbs, request.IssuedAt);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SignedCertificateTimestamps.List(sct));
        certificateRequest.CertificateExtensions.Add(new X509Extension(SctListOid, writer.Encode(), false));
        return new IssuedLeafCertificate(certificateRequest.Create(_intermediate.SubjectName, generator, notBefore, notAfter, serial), tbs, sct);
    }

    /// <summary>GeneralNames with one rfc822Name [1] or one uniformResourceIdentifier [6] (RFC 5280 section 4.2.1.6).</summary>
    private static byte[] SubjectAlternativeName(string identity, bool email)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteCharacterString(UniversalTagNumber.IA5String, identity, new Asn1Tag(TagClass.ContextSpecific, email ? 1 : 6));
        }

        return writer.Encode();
    }

    private static byte[] Utf8String(string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return writer.Encode();
    }

    /// <summary>Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... } (RFC 5280 section 4.1): the first element.</summary>
    private static byte[] TbsCertificate(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER);
        return reader.ReadSequence().ReadEncodedValue().ToArray();
    }

    /// <summary>A positive 16-byte random serial (RFC 5280 section 4.1.2.2: at most 20 octets, unique per CA).</summary>
    private static byte[] Serial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        return serial;
    }

    /// <summary>Disposes the root, the intermediate and its key (and the CT log key of the instance's own CA).</summary>
    public void Dispose()
    {
        Root.Dispose();
        _intermediate.Dispose();
        _intermediateKey.Dispose();
        _ownedCtLog?.Dispose();
    }
}
