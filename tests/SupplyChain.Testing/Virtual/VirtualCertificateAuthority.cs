using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// A Fulcio-like CA: a self-signed ECDSA P-384 root and a P-384 intermediate that issues
/// short-lived code-signing leaves with embedded SCTs from a <see cref="VirtualCtLog"/>.
/// </summary>
public sealed class VirtualCertificateAuthority : IDisposable
{
    private long _serial = 0x1000;

    internal VirtualCertificateAuthority(DateTimeOffset now)
    {
        RootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        IntermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        var rootRequest = new CertificateRequest("O=sigstore.virtual, CN=sigstore-virtual-root", RootKey, HashAlgorithmName.SHA384);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var rootSki = new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false);
        rootRequest.CertificateExtensions.Add(rootSki);
        Root = rootRequest.CreateSelfSigned(now.AddYears(-1), now.AddYears(10));

        var intermediateRequest = new CertificateRequest("O=sigstore.virtual, CN=sigstore-virtual-intermediate", IntermediateKey, HashAlgorithmName.SHA384);
        intermediateRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        intermediateRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(FulcioOids.CodeSigning)], false));
        intermediateRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediateRequest.PublicKey, false));
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(rootSki));
        using X509Certificate2 intermediate = intermediateRequest.Create(Root, now.AddYears(-1).AddDays(1), now.AddYears(9), [0x02]);
        Intermediate = intermediate.CopyWithPrivateKey(IntermediateKey);
    }

    /// <summary>The self-signed root (with private key).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing intermediate (with private key).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The root's private key.</summary>
    public ECDsa RootKey { get; }

    /// <summary>The intermediate's private key.</summary>
    public ECDsa IntermediateKey { get; }

    /// <summary>The chain as the trusted root lists it: intermediate, then root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [Intermediate, Root];

    /// <summary>Issues a leaf; see <see cref="VirtualSigstore.IssueLeaf"/>.</summary>
    internal LeafCertificate IssueLeaf(string identity, string oidcIssuer, LeafOptions options, DateTimeOffset now, VirtualCtLog ctLog)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        DateTimeOffset notBefore = options.NotBefore ?? now.AddMinutes(-1);
        DateTimeOffset notAfter = options.NotAfter ?? notBefore.AddMinutes(10);
        byte[] serial = SerialNumber();
        var generator = X509SignatureGenerator.CreateForECDsa(IntermediateKey);

        // RFC 6962 section 3.3: the SCT signs the TBS of the final certificate without the SCT
        // list extension, so build that certificate first with identical fields.
        CertificateRequest request = LeafRequest(key, identity, oidcIssuer, options.ExtraExtensions);
        using X509Certificate2 precert = request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, serial);
        byte[] tbs = TbsCertificate(precert.RawData);
        if (!options.EmbedSct)
        {
            return new LeafCertificate(precert.CopyWithPrivateKey(key), key, tbs, null);
        }

        long timestampMs = (options.SctTimestamp ?? now).ToUnixTimeMilliseconds();
        byte[] extensions = options.SctExtensions ?? [];
        byte[] issuerSpki = Intermediate.PublicKey.ExportSubjectPublicKeyInfo();
        byte[] signature = (options.SctSigningKey ?? ctLog.Key).Sign(SctEncoder.SignedData(timestampMs, issuerSpki, tbs, extensions));
        byte[] sct = SctEncoder.Sct(ctLog.LogId, timestampMs, extensions, signature);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(SctEncoder.List(sct));
        request.CertificateExtensions.Add(new X509Extension(FulcioOids.SctList, writer.Encode(), false));
        using X509Certificate2 final = request.Create(Intermediate.SubjectName, generator, notBefore, notAfter, serial);
        return new LeafCertificate(final.CopyWithPrivateKey(key), key, tbs, sct);
    }

    private CertificateRequest LeafRequest(ECDsa key, string identity, string oidcIssuer, IReadOnlyDictionary<string, string>? extra)
    {
        var request = new CertificateRequest(new X500DistinguishedName([0x30, 0x00]), key, HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(FulcioOids.CodeSigning)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Intermediate, true, false));

        // RFC 5280 section 4.2.1.6: with an empty subject the SAN extension is critical.
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", SubjectAlternativeName(identity), true));
        request.CertificateExtensions.Add(new X509Extension(FulcioOids.IssuerV1, Encoding.UTF8.GetBytes(oidcIssuer), false));
        request.CertificateExtensions.Add(new X509Extension(FulcioOids.IssuerV2, Utf8String(oidcIssuer), false));
        foreach (KeyValuePair<string, string> pair in extra ?? new Dictionary<string, string>())
        {
            request.CertificateExtensions.Add(new X509Extension(pair.Key, Utf8String(pair.Value), false));
        }

        return request;
    }

    /// <summary>GeneralNames with one rfc822Name [1] (when the identity has '@' and no scheme) or one uniformResourceIdentifier [6].</summary>
    private static byte[] SubjectAlternativeName(string identity)
    {
        bool email = identity.Contains('@', StringComparison.Ordinal) && !identity.Contains("://", StringComparison.Ordinal);
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

    /// <summary>Certificate ::= SEQUENCE { tbsCertificate TBSCertificate, ... } (RFC 5280 section 4.1): the first element, as encoded.</summary>
    private static byte[] TbsCertificate(byte[] certificate)
    {
        var reader = new AsnReader(certificate, AsnEncodingRules.DER);
        AsnReader outer = reader.ReadSequence();
        return outer.ReadEncodedValue().ToArray();
    }

    private byte[] SerialNumber()
    {
        long next = Interlocked.Increment(ref _serial);
        byte[] random = RandomNumberGenerator.GetBytes(12);
        random[0] &= 0x7F;
        random[0] |= 0x10;
        return [.. random, .. new BigInteger(next).ToByteArray(isUnsigned: true, isBigEndian: true)];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Root.Dispose();
        Intermediate.Dispose();
        RootKey.Dispose();
        IntermediateKey.Dispose();
    }
}
