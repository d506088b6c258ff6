using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Tests.Certificates;

/// <summary>Trusted material assembled in a test.</summary>
internal sealed class TestTrust : ITrustedMaterial
{
    public IReadOnlyList<TransparencyLogInstance> TransparencyLogs { get; init; } = [];

    public IReadOnlyList<CertificateAuthority> CertificateAuthorities { get; init; } = [];

    public IReadOnlyList<TransparencyLogInstance> CertificateTransparencyLogs { get; init; } = [];

    public IReadOnlyList<CertificateAuthority> TimestampAuthorities { get; init; } = [];
}

/// <summary>A CA certificate with its private key.</summary>
internal sealed record TestCa(X509Certificate2 Certificate, AsymmetricAlgorithm Key, X509SignatureGenerator Generator);

/// <summary>Builds root -> intermediate -> leaf hierarchies with CertificateRequest.</summary>
internal static class TestPki
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static long _serial = 1;

    public static ECDsa NewEcKey(int bits = 256) => ECDsa.Create(bits switch { 384 => ECCurve.NamedCurves.nistP384, 521 => ECCurve.NamedCurves.nistP521, _ => ECCurve.NamedCurves.nistP256 });

    public static TestCa Root(string name = "CN=test-root,O=SupplyChain", AsymmetricAlgorithm? key = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, int? pathLength = 1)
    {
        key ??= NewEcKey(384);
        CertificateRequest request = Request(name, key, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1);
        AddCaExtensions(request, pathLength);
        X509SignatureGenerator generator = Generator(key, RSASignaturePadding.Pkcs1);
        X509Certificate2 cert = request.Create(request.SubjectName, generator, notBefore ?? Epoch.AddYears(-5), notAfter ?? Epoch.AddYears(5), NextSerial());
        return new TestCa(cert, key, generator);
    }

    public static TestCa Intermediate(TestCa issuer, string name = "CN=test-intermediate,O=SupplyChain", AsymmetricAlgorithm? key = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, HashAlgorithmName? hash = null, RSASignaturePadding? padding = null, bool isCa = true)
    {
        key ??= NewEcKey(384);
        CertificateRequest request = Request(name, key, hash ?? HashAlgorithmName.SHA384, padding ?? RSASignaturePadding.Pkcs1);
        if (isCa)
        {
            AddCaExtensions(request, 0);
        }

        X509SignatureGenerator signer = Generator(issuer.Key, padding ?? RSASignaturePadding.Pkcs1);
        X509Certificate2 cert = request.Create(issuer.Certificate.SubjectName, signer, notBefore ?? Epoch.AddYears(-4), notAfter ?? Epoch.AddYears(4), NextSerial());
        return new TestCa(cert, key, Generator(key, padding ?? RSASignaturePadding.Pkcs1));
    }

    /// <summary>A Fulcio-like leaf: empty subject, critical SAN URI, digitalSignature, codeSigning.</summary>
    public static CertificateRequest LeafRequest(
        ECDsa? key = null,
        bool codeSigning = true,
        bool digitalSignature = true,
        bool isCa = false,
        IEnumerable<X509Extension>? extra = null,
        HashAlgorithmName? hash = null)
    {
        key ??= NewEcKey();
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), key, hash ?? HashAlgorithmName.SHA384);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(digitalSignature ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        if (codeSigning)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.3")], critical: false));
        }

        if (isCa)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        }

        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("https://github.com/example/repo/.github/workflows/release.yml@refs/heads/main"));
        request.CertificateExtensions.Add(san.Build(critical: true));
        foreach (X509Extension extension in extra ?? [])
        {
            request.CertificateExtensions.Add(extension);
        }

        return request;
    }

    public static X509Certificate2 Leaf(TestCa issuer, CertificateRequest? request = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, byte[]? serialNumber = null)
    {
        request ??= LeafRequest();
        DateTimeOffset nb = notBefore ?? Epoch;
        return request.Create(issuer.Certificate.SubjectName, issuer.Generator, nb, notAfter ?? nb.AddMinutes(10), serialNumber ?? NextSerial());
    }

    public static CertificateAuthority Authority(TimeRange? validFor, params TestCa[] chainMostSpecificFirst) =>
        new("https://fulcio.test", "SupplyChain", "test", [.. chainMostSpecificFirst.Select(c => c.Certificate)], validFor ?? new TimeRange(Epoch.AddYears(-5), null), null);

    public static TransparencyLogInstance CtLog(AsymmetricAlgorithm key, TimeRange? validFor = null, string url = "https://ct.test")
    {
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        return new TransparencyLogInstance(url, "SHA2_256", PublicKeyVerifier.FromSubjectPublicKeyInfo(spki), key is RSA ? "PKCS1_RSA_PKCS1V5" : "PKIX_ECDSA_P256_SHA_256", validFor ?? new TimeRange(Epoch.AddYears(-5), null), SHA256.HashData(spki), null, null);
    }

    /// <summary>Creates one serialized SCT for a leaf whose final TBS will be <paramref name="tbsWithoutSct"/> plus the SCT list.</summary>
    public static byte[] SignSct(AsymmetricAlgorithm logKey, X509Certificate2 issuer, byte[] tbsWithoutSct, ulong timestamp, byte[] extensions)
    {
        byte[] issuerKeyHash = SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo());
        byte[] precert = PrecertificateTbs.FromTbsCertificate(tbsWithoutSct);
        byte[] signed = PrecertificateTbs.BuildSignedData(timestamp, issuerKeyHash, precert, extensions);
        byte[] signature;
        byte sigAlg;
        if (logKey is ECDsa ec)
        {
            signature = ec.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            sigAlg = SignedCertificateTimestamp.SignatureEcdsa;
        }
        else
        {
            signature = ((RSA)logKey).SignData(signed, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            sigAlg = SignedCertificateTimestamp.SignatureRsa;
        }

        byte[] logId = SHA256.HashData(logKey.ExportSubjectPublicKeyInfo());
        return SignedCertificateTimestamp.Encode(logId, timestamp, extensions, SignedCertificateTimestamp.HashSha256, sigAlg, signature);
    }

    /// <summary>Issues a leaf carrying embedded SCTs: the same TBS is issued twice, first without, then with the SCT list.</summary>
    public static X509Certificate2 LeafWithScts(TestCa issuer, Func<byte[], IEnumerable<byte[]>> sctsForTbs)
    {
        CertificateRequest request = LeafRequest();
        byte[] serialNumber = NextSerial();
        X509Certificate2 withoutSct = Leaf(issuer, request, serialNumber: serialNumber);
        byte[] tbs = TbsOf(withoutSct);
        request.CertificateExtensions.Add(SignedCertificateTimestamp.EncodeListExtension(sctsForTbs(tbs)));
        return Leaf(issuer, request, serialNumber: serialNumber);
    }

    public static byte[] TbsOf(X509Certificate2 certificate)
    {
        var reader = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence();
        return reader.ReadEncodedValue().ToArray();
    }

    /// <summary>A raw extension whose value is a DER UTF8String.</summary>
    public static X509Extension DerStringExtension(string oid, string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return new X509Extension(oid, writer.Encode(), critical: false);
    }

    private static CertificateRequest Request(string name, AsymmetricAlgorithm key, HashAlgorithmName hash, RSASignaturePadding padding) => key switch
    {
        ECDsa ec => new CertificateRequest(name, ec, hash),
        RSA rsa => new CertificateRequest(name, rsa, hash, padding),
        _ => throw new ArgumentException("unsupported key"),
    };

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm key, RSASignaturePadding padding) => key switch
    {
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, padding),
        _ => throw new ArgumentException("unsupported key"),
    };

    private static void AddCaExtensions(CertificateRequest request, int? pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    private static byte[] NextSerial()
    {
        long value = Interlocked.Increment(ref _serial);
        return [0x01, .. BitConverter.GetBytes(value)];
    }
}
