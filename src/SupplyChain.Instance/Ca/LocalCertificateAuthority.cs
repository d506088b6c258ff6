using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SupplyChain.Instance.Ca;

/// <summary>
/// The instance's Fulcio-shaped CA: an ECDSA P-384 root and intermediate (as Fulcio's public-good chain) issuing
/// 10-minute code-signing leaves for a submitted public key, with the Fulcio issuer extensions
/// (1.3.6.1.4.1.57264.1.1 and .1.8, sigstore/fulcio docs/oid-info.md) and one embedded SCT from the local CT log key.
/// Thread-safe.
/// </summary>
internal sealed class LocalCertificateAuthority : IDisposable
{
    /// <summary>Fulcio's leaf lifetime.</summary>
    public static readonly TimeSpan LeafLifetime = TimeSpan.FromMinutes(10);

    private const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";
    private const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    private readonly X509Certificate2 _intermediate;
    private readonly ECDsa _intermediateKey;
    private readonly ECDsa _ctKey;
    private readonly byte[] _ctLogId;
    private readonly byte[] _issuerSpki;

    public LocalCertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate, ECDsa intermediateKey, ECDsa ctKey)
    {
        Root = root;
        _intermediate = intermediate;
        _intermediateKey = intermediateKey;
        _ctKey = ctKey;
        CtPublicKey = ctKey.ExportSubjectPublicKeyInfo();
        _ctLogId = SHA256.HashData(CtPublicKey);
        _issuerSpki = intermediate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The root certificate.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The chain the trusted root lists: intermediate, root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [_intermediate, Root];

    /// <summary>The CT log's DER public key.</summary>
    public byte[] CtPublicKey { get; }

    /// <summary>The CT log ID: SHA-256 of its DER SPKI (RFC 6962 section 3.2).</summary>
    public ReadOnlySpan<byte> CtLogId => _ctLogId;

    /// <summary>Creates a new root (10 years) and intermediate (10 years) with fresh P-384 keys.</summary>
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
    /// for 10 minutes, with an embedded SCT (RFC 6962 section 3.3: the SCT signs the TBS of the final certificate
    /// without the SCT list extension, so that certificate is built first with identical fields).
    /// </summary>
    public X509Certificate2 Issue(PublicKey publicKey, string identity, bool identityIsEmail, string issuer, DateTimeOffset now, IReadOnlyList<CiExtension>? ciExtensions = null)
    {
        DateTimeOffset notBefore = now;
        DateTimeOffset notAfter = now + LeafLifetime;
        byte[] serial = Serial();
        var generator = X509SignatureGenerator.CreateForECDsa(_intermediateKey);
        var request = new CertificateRequest(new X500DistinguishedName([0x30, 0x00]), publicKey, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(CodeSigningOid)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_intermediate, true, false));

        // RFC 5280 section 4.2.1.6: "If the subject field contains an empty sequence, ... the subjectAltName extension ... MUST be critical".
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", SubjectAlternativeName(identity, identityIsEmail), true));
        request.CertificateExtensions.Add(new X509Extension(IssuerV1Oid, Encoding.UTF8.GetBytes(issuer), false));
        request.CertificateExtensions.Add(new X509Extension(IssuerV2Oid, Utf8String(issuer), false));

        // Fulcio docs/oid-info.md: .2-.6 hold the claim's bytes, .9 onwards a DER UTF8String.
        foreach (CiExtension extension in ciExtensions ?? [])
        {
            request.CertificateExtensions.Add(new X509Extension(extension.Oid, extension.Raw ? Encoding.UTF8.GetBytes(extension.Value) : Utf8String(extension.Value), false));
        }

        byte[] tbs;
        using (X509Certificate2 precertificate = request.Create(_intermediate.SubjectName, generator, notBefore, notAfter, serial))
        {
            tbs = TbsCertificate(precertificate.RawData);
        }

        long timestampMs = now.ToUnixTimeMilliseconds();
        byte[] signature = _ctKey.SignData(SignedCertificateTimestamps.SignedData(timestampMs, _issuerSpki, tbs), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SignedCertificateTimestamps.List(_ctLogId, timestampMs, signature));
        request.CertificateExtensions.Add(new X509Extension(SctListOid, writer.Encode(), false));
        return request.Create(_intermediate.SubjectName, generator, notBefore, notAfter, serial);
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

    public void Dispose()
    {
        Root.Dispose();
        _intermediate.Dispose();
        _intermediateKey.Dispose();
        _ctKey.Dispose();
    }
}
