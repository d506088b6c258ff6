using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Timestamps;

namespace SupplyChain.Testing.Timestamps;

/// <summary>
/// An in-process RFC 3161 timestamp authority (the TSA of sigstore-go's VirtualSigstore): a generated ECDSA P-256
/// root (and optional intermediate) issuing a TSA signing certificate, minting TimeStampResp messages as Sigstore
/// bundles store them. Never reads the clock: callers give every time.
/// </summary>
/// <remarks>
/// A tampering layer over the shipped instance's TSA: an honest token (root and signing certificate only, ESS
/// signing-certificate-v2 included, a SHA-2 imprint, a genTime of whole seconds, the signing certificate embedded or
/// not as certReq asks) is the answer of <see cref="Instance"/> (a <see cref="LocalTimestampAuthority"/> over the same
/// certificate and key) to an RFC 3161 request; the test kit encodes only what the instance would not issue (no ESS
/// attribute, a SHA-1 imprint, a fractional genTime, an intermediate in the token).
/// </remarks>
public sealed class TestTimestampAuthority : IDisposable, Virtual.ITimestampMinter
{
    /// <summary>id-ct-TSTInfo (RFC 3161 section 2.4.2).</summary>
    public const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    /// <summary>id-aa-signingCertificateV2 (RFC 5035 section 3).</summary>
    public const string SigningCertificateV2Oid = TimestampEncoding.SigningCertificateV2Oid;

    /// <summary>The TSA policy the minted tokens carry.</summary>
    public const string PolicyOid = "1.3.6.1.4.1.57264.2";

    private const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";
    private readonly ECDsa _leafKey;
    private readonly X509Certificate2 _leafWithKey;
    private long _serial;

    private TestTimestampAuthority(ECDsa leafKey, X509Certificate2 leafWithKey, IReadOnlyList<X509Certificate2> chain)
    {
        _leafKey = leafKey;
        _leafWithKey = leafWithKey;
        Chain = chain;
        if (chain.Count == 2)
        {
            // The instance's TSA owns (and disposes) what it is given: copies.
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(leafWithKey.RawData);
            Instance = new LocalTimestampAuthority(leaf.CopyWithPrivateKey(leafKey), X509CertificateLoader.LoadCertificate(chain[^1].RawData));
        }
    }

    /// <summary>The shipped instance's TSA over the same signing certificate and key, or <see langword="null"/> when the chain has an intermediate (the instance's TSA embeds no intermediate).</summary>
    public LocalTimestampAuthority? Instance { get; }

    /// <summary>The chain without private keys, most specific first: [TSA signing certificate, intermediate?, root].</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The TSA signing certificate (no private key).</summary>
    public X509Certificate2 Leaf => Chain[0];

    /// <summary>The self-signed root.</summary>
    public X509Certificate2 Root => Chain[^1];

    /// <summary>Creates a TSA whose certificates are valid from <paramref name="notBefore"/> for <paramref name="lifetime"/>.</summary>
    /// <param name="notBefore">Start of every certificate's validity.</param>
    /// <param name="lifetime">Validity length; one year when <see langword="null"/>.</param>
    /// <param name="commonName">The leaf's common name; the CA names derive from it.</param>
    /// <param name="timestampingEku">Whether the leaf carries the id-kp-timeStamping extended key usage.</param>
    /// <param name="criticalEku">Whether that extension is critical (RFC 3161 section 2.3 requires it).</param>
    /// <param name="withIntermediate">Whether an intermediate CA sits between root and leaf.</param>
    public static TestTimestampAuthority Create(
        DateTimeOffset notBefore,
        TimeSpan? lifetime = null,
        string commonName = "Test TSA",
        bool timestampingEku = true,
        bool criticalEku = true,
        bool withIntermediate = false)
    {
        DateTimeOffset notAfter = notBefore + (lifetime ?? TimeSpan.FromDays(365));
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest($"O=supplychain.test, CN={commonName} Root", rootKey, HashAlgorithmName.SHA256);
        AddCaExtensions(rootRequest);
        using X509Certificate2 rootWithKey = rootRequest.CreateSelfSigned(notBefore, notAfter);

        var chain = new List<X509Certificate2>();
        X509Certificate2 issuer = rootWithKey;
        ECDsa? intermediateKey = null;
        X509Certificate2? intermediateWithKey = null;
        try
        {
            if (withIntermediate)
            {
                intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest($"O=supplychain.test, CN={commonName} Intermediate", intermediateKey, HashAlgorithmName.SHA256);
                AddCaExtensions(request);
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(rootWithKey, includeKeyIdentifier: true, includeIssuerAndSerial: false));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingEku)], critical: false));
                using X509Certificate2 intermediate = request.Create(rootWithKey, notBefore, notAfter, NewSerial());
                intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
                issuer = intermediateWithKey;
            }

            var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var leafRequest = new CertificateRequest($"O=supplychain.test, CN={commonName}", leafKey, HashAlgorithmName.SHA256);
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
            leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
            leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, critical: false));
            if (timestampingEku)
            {
                leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingEku)], criticalEku));
            }

            using X509Certificate2 leaf = leafRequest.Create(issuer, notBefore, notAfter, NewSerial());
            X509Certificate2 leafWithKey = leaf.CopyWithPrivateKey(leafKey);

            chain.Add(X509CertificateLoader.LoadCertificate(leaf.RawData));
            if (intermediateWithKey is not null)
            {
                chain.Add(X509CertificateLoader.LoadCertificate(intermediateWithKey.RawData));
            }

            chain.Add(X509CertificateLoader.LoadCertificate(rootWithKey.RawData));
            return new TestTimestampAuthority(leafKey, leafWithKey, chain);
        }
        finally
        {
            intermediateWithKey?.Dispose();
            intermediateKey?.Dispose();
        }
    }

    /// <summary>This TSA as a trusted root lists it (read back through <see cref="TrustedRoot.Parse(ReadOnlySpan{byte})"/>, Core's public API).</summary>
    /// <param name="validFor">The trusted window; from the leaf's notBefore, open-ended, when <see langword="null"/>.</param>
    public CertificateAuthority ToCertificateAuthority(TimeRange? validFor = null)
    {
        TimeRange window = validFor ?? new TimeRange(new DateTimeOffset(Leaf.NotBefore.ToUniversalTime()), null);
        static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var range = new JsonObject { ["start"] = Format(window.Start) };
        if (window.End is { } end)
        {
            range["end"] = Format(end);
        }

        var certificates = new JsonArray();
        foreach (X509Certificate2 certificate in Chain)
        {
            certificates.Add(new JsonObject { ["rawBytes"] = Convert.ToBase64String(certificate.RawData) });
        }

        var document = new JsonObject
        {
            ["mediaType"] = TrustedRoot.MediaTypeV0_1,
            ["tlogs"] = new JsonArray(),
            ["certificateAuthorities"] = new JsonArray(),
            ["ctlogs"] = new JsonArray(),
            ["timestampAuthorities"] = new JsonArray(new JsonObject
            {
                ["subject"] = new JsonObject { ["organization"] = "supplychain.test", ["commonName"] = Leaf.GetNameInfo(X509NameType.SimpleName, false) },
                ["uri"] = "https://tsa.supplychain.test/api/v1/timestamp",
                ["certChain"] = new JsonObject { ["certificates"] = certificates },
                ["validFor"] = range,
                ["operator"] = "supplychain.test",
            }),
        };
        return TrustedRoot.Parse(System.Text.Encoding.UTF8.GetBytes(document.ToJsonString())).TimestampAuthorities.Single();
    }

    /// <summary>
    /// Timestamps <paramref name="data"/> (for Sigstore: the signature bytes) and returns the DER TimeStampResp that a
    /// bundle's <c>rfc3161Timestamps[].signedTimestamp</c> holds. No nonce unless given.
    /// </summary>
    /// <param name="data">The timestamped bytes; the message imprint is their hash.</param>
    /// <param name="genTime">The time the token asserts.</param>
    /// <param name="includeCertificates">Whether the CMS SignedData embeds the TSA chain (less the root).</param>
    /// <param name="imprintAlgorithm">The message imprint hash; SHA-256 when <see langword="null"/>.</param>
    /// <param name="nonce">An optional nonce (big-endian unsigned).</param>
    /// <param name="includeSigningCertificate">Whether to add the ESS signing-certificate-v2 attribute RFC 3161 requires.</param>
    public byte[] Timestamp(
        ReadOnlySpan<byte> data,
        DateTimeOffset genTime,
        bool includeCertificates = true,
        HashAlgorithmName? imprintAlgorithm = null,
        ReadOnlyMemory<byte>? nonce = null,
        bool includeSigningCertificate = true)
    {
        if (TryInstance(data, genTime, includeCertificates, imprintAlgorithm, nonce, includeSigningCertificate) is { } honest)
        {
            return honest;
        }

        return TimestampEncoding.GrantedResponse(EncodeToken(data, genTime, includeCertificates, imprintAlgorithm, nonce, includeSigningCertificate));
    }

    /// <summary>Like <see cref="Timestamp"/>, but returns the bare TimeStampToken (a CMS ContentInfo).</summary>
    /// <param name="data">The timestamped bytes.</param>
    /// <param name="genTime">The time the token asserts.</param>
    /// <param name="includeCertificates">Whether to embed the chain (less the root).</param>
    /// <param name="imprintAlgorithm">The message imprint hash; SHA-256 when <see langword="null"/>.</param>
    /// <param name="nonce">An optional nonce.</param>
    /// <param name="includeSigningCertificate">Whether to add the ESS signing-certificate-v2 attribute.</param>
    public byte[] TimestampToken(
        ReadOnlySpan<byte> data,
        DateTimeOffset genTime,
        bool includeCertificates = true,
        HashAlgorithmName? imprintAlgorithm = null,
        ReadOnlyMemory<byte>? nonce = null,
        bool includeSigningCertificate = true)
    {
        if (TryInstance(data, genTime, includeCertificates, imprintAlgorithm, nonce, includeSigningCertificate) is { } honest)
        {
            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }: the token.
            AsnReader response = new AsnReader(honest, AsnEncodingRules.DER).ReadSequence();
            response.ReadSequence();
            return response.ReadEncodedValue().ToArray();
        }

        return EncodeToken(data, genTime, includeCertificates, imprintAlgorithm, nonce, includeSigningCertificate);
    }

    /// <summary>The instance TSA's TimeStampResp when it would issue this token, else <see langword="null"/>.</summary>
    private byte[]? TryInstance(ReadOnlySpan<byte> data, DateTimeOffset genTime, bool includeCertificates, HashAlgorithmName? imprintAlgorithm, ReadOnlyMemory<byte>? nonce, bool includeSigningCertificate)
    {
        HashAlgorithmName algorithm = imprintAlgorithm ?? HashAlgorithmName.SHA256;
        bool sha2 = algorithm == HashAlgorithmName.SHA256 || algorithm == HashAlgorithmName.SHA384 || algorithm == HashAlgorithmName.SHA512;
        if (Instance is null || !includeSigningCertificate || !sha2 || genTime.UtcTicks % TimeSpan.TicksPerSecond != 0)
        {
            return null;
        }

        // RFC 3161 section 2.4.1: certReq TRUE asks for the TSA's certificate in the token, FALSE for none.
        var request = Rfc3161TimestampRequest.CreateFromData(data, algorithm, requestSignerCertificates: includeCertificates, nonce: nonce);
        return Instance.Respond(request.Encode(), genTime);
    }

    private byte[] EncodeToken(
        ReadOnlySpan<byte> data,
        DateTimeOffset genTime,
        bool includeCertificates,
        HashAlgorithmName? imprintAlgorithm,
        ReadOnlyMemory<byte>? nonce,
        bool includeSigningCertificate)
    {
        HashAlgorithmName algorithm = imprintAlgorithm ?? HashAlgorithmName.SHA256;
        byte[] tstInfo = EncodeTstInfo(algorithm, CryptographicOperations.HashData(algorithm, data), Interlocked.Increment(ref _serial), genTime, nonce);

        var signedCms = new SignedCms(new ContentInfo(new Oid(TstInfoContentType), tstInfo), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _leafWithKey)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = includeCertificates ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };
        if (includeCertificates)
        {
            for (int i = 1; i < Chain.Count - 1; i++)
            {
                signer.Certificates.Add(Chain[i]);
            }
        }

        // RFC 3161 section 2.4.2 and RFC 5816: the signer's certificate is bound by an ESS signing-certificate(-v2)
        // attribute. CmsSigner adds content-type and message-digest (RFC 5652 section 5.3) itself.
        if (includeSigningCertificate)
        {
            signer.SignedAttributes.Add(TimestampEncoding.SigningCertificateV2(Leaf));
        }

        signedCms.ComputeSignature(signer, silent: true);
        return signedCms.Encode();
    }

    /// <inheritdoc />
    /// <inheritdoc />
    byte[] Virtual.ITimestampMinter.Timestamp(ReadOnlySpan<byte> signature, DateTimeOffset genTime) => Timestamp(signature, genTime);

    /// <inheritdoc />
    public void Dispose()
    {
        Instance?.Dispose();
        _leafWithKey.Dispose();
        _leafKey.Dispose();
        foreach (X509Certificate2 certificate in Chain)
        {
            certificate.Dispose();
        }
    }

    private static void AddCaExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
    }

    private static byte[] NewSerial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, minimal DER INTEGER
        return serial;
    }

    // RFC 3161 section 2.4.2:
    // TSTInfo ::= SEQUENCE { version INTEGER { v1(1) }, policy TSAPolicyId, messageImprint MessageImprint,
    //   serialNumber INTEGER, genTime GeneralizedTime, accuracy Accuracy OPTIONAL, ordering BOOLEAN DEFAULT FALSE,
    //   nonce INTEGER OPTIONAL, tsa [0] GeneralName OPTIONAL, extensions [1] IMPLICIT Extensions OPTIONAL }
    private static byte[] EncodeTstInfo(HashAlgorithmName algorithm, byte[] hash, long serial, DateTimeOffset genTime, ReadOnlyMemory<byte>? nonce)
    {
        string hashOid = algorithm.Name switch
        {
            "SHA256" => "2.16.840.1.101.3.4.2.1",
            "SHA384" => "2.16.840.1.101.3.4.2.2",
            "SHA512" => "2.16.840.1.101.3.4.2.3",
            "SHA1" => "1.3.14.3.2.26",
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm.Name, "unsupported imprint algorithm"),
        };

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteObjectIdentifier(PolicyOid);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(hashOid);
                    writer.WriteNull();
                }

                writer.WriteOctetString(hash);
            }

            writer.WriteInteger(serial);
            writer.WriteGeneralizedTime(genTime.ToUniversalTime(), omitFractionalSeconds: false);
            if (nonce is { } n)
            {
                writer.WriteInteger(new BigInteger(n.Span, isUnsigned: true, isBigEndian: true));
            }
        }

        return writer.Encode();
    }
}
