using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Instance.Timestamps;

/// <summary>
/// The instance's RFC 3161 timestamp authority: answers a DER TimeStampReq (section 2.4.1) with a granted
/// TimeStampResp (section 2.4.2) whose token is a CMS SignedData over a TSTInfo, signed by a leaf certificate with
/// the critical id-kp-timeStamping EKU (section 2.3: "The corresponding certificate MUST contain only one instance of
/// the extended key usage field extension ... with KeyPurposeID having value id-kp-timeStamping. This extension MUST
/// be critical."). It answers at the time the caller gives and keeps no record. Thread-safe.
/// </summary>
public sealed class LocalTimestampAuthority : IDisposable
{
    /// <summary>The TSA policy of the tokens (Sigstore's TSA policy arc).</summary>
    public const string PolicyOid = "1.3.6.1.4.1.57264.2";

    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
    private const string TimeStampingEku = "1.3.6.1.5.5.7.3.8";
    private readonly X509Certificate2 _leafWithKey;
    private long _serial = RandomNumberGenerator.GetInt32(1, int.MaxValue) * 1024L;

    /// <summary>
    /// A TSA over an existing chain: <paramref name="leafWithKey"/> (a certificate with its private key, which should
    /// carry the critical id-kp-timeStamping EKU) signs the tokens. The TSA owns both certificates from now on and
    /// disposes them.
    /// </summary>
    /// <param name="leafWithKey">The TSA signing certificate with its private key.</param>
    /// <param name="root">The root that issued it, listed last in <see cref="Chain"/>.</param>
    public LocalTimestampAuthority(X509Certificate2 leafWithKey, X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(leafWithKey);
        ArgumentNullException.ThrowIfNull(root);
        if (!leafWithKey.HasPrivateKey)
        {
            throw new ArgumentException("the TSA signing certificate has no private key", nameof(leafWithKey));
        }

        _leafWithKey = leafWithKey;
        Leaf = X509CertificateLoader.LoadCertificate(leafWithKey.RawData);
        Root = root;
    }

    /// <summary>The TSA signing certificate (no key).</summary>
    public X509Certificate2 Leaf { get; }

    /// <summary>The TSA root.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The chain as the trusted root lists it: leaf, root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [Leaf, Root];

    /// <summary>
    /// Creates a new chain for a TSA (as <c>signcli instance init</c> does): an ECDSA P-256 root and a signing
    /// certificate with the critical id-kp-timeStamping EKU (RFC 3161 section 2.3), valid from five minutes before
    /// <paramref name="now"/> for 10 years.
    /// </summary>
    /// <param name="now">The creation time.</param>
    /// <returns>The root, the signing certificate (without its key) and the signing key; the caller owns them all.</returns>
    public static (X509Certificate2 Root, X509Certificate2 Leaf, ECDsa LeafKey) CreateChain(DateTimeOffset now)
    {
        using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("O=supplychain.localhost, CN=supplychain-local-tsa-root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("O=supplychain.localhost, CN=supplychain-local-tsa", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(TimeStampingEku)], critical: true));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x10);
        X509Certificate2 leaf = leafRequest.Create(root, now.AddMinutes(-5), now.AddYears(10).AddMinutes(-1), serial);
        return (root, leaf, leafKey);
    }

    /// <summary>
    /// Answers a DER TimeStampReq (RFC 3161 section 2.4.1) with a granted DER TimeStampResp whose genTime is
    /// <paramref name="now"/> truncated to whole seconds; the token embeds the signing certificate when the request
    /// asks (certReq). Throws SC8033 when the request is not one this TSA accepts (extensions, another policy, a hash
    /// other than SHA-256/384/512, trailing data).
    /// </summary>
    /// <param name="requestDer">The DER TimeStampReq.</param>
    /// <param name="now">The time to assert.</param>
    public byte[] Respond(ReadOnlyMemory<byte> requestDer, DateTimeOffset now)
    {
        if (!Rfc3161TimestampRequest.TryDecode(requestDer, out Rfc3161TimestampRequest? request, out int consumed) || consumed != requestDer.Length)
        {
            throw InstanceErrors.TimestampRequestInvalid.ToException("not a DER TimeStampReq (or trailing data)");
        }

        // Section 2.4.1: "If the extension field is present and the TSA does not recognize an extension, the
        // TSA MUST reject the request"; and a requested policy must be ours.
        if (request.HasExtensions)
        {
            throw InstanceErrors.TimestampRequestInvalid.ToException("extensions are not supported");
        }

        if (request.RequestedPolicyId is { } policy && policy.Value != PolicyOid)
        {
            throw InstanceErrors.TimestampRequestInvalid.ToException($"policy {policy.Value} is not this TSA's");
        }

        HashAlgorithmName algorithm = request.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => throw InstanceErrors.TimestampRequestInvalid.ToException($"hash algorithm {request.HashAlgorithmId.Value} is not SHA-256/384/512"),
        };
        ReadOnlyMemory<byte> hash = request.GetMessageHash();
        int expectedLength = algorithm == HashAlgorithmName.SHA256 ? 32 : algorithm == HashAlgorithmName.SHA384 ? 48 : 64;
        if (hash.Length != expectedLength)
        {
            throw InstanceErrors.TimestampRequestInvalid.ToException("the message imprint has the wrong length for its algorithm");
        }

        // Whole seconds: DER GeneralizedTime drops trailing zeros of a fraction, and some verifiers (sigstore-js)
        // accept only no fraction or exactly three digits.
        DateTimeOffset genTime = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var info = new Rfc3161TimestampTokenInfo(
            new Oid(PolicyOid),
            request.HashAlgorithmId,
            hash,
            SerialNumber(),
            genTime,
            nonce: request.GetNonce());
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, _leafWithKey)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),

            // Section 2.4.1: certReq TRUE: "the TSA's public key certificate ... MUST be provided in the response".
            IncludeOption = request.RequestSignerCertificate ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
        };

        // RFC 5816 / RFC 5035: the signer certificate is bound by ESS signing-certificate-v2.
        signer.SignedAttributes.Add(TimestampEncoding.SigningCertificateV2(Leaf));
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoContentType), info.Encode()), detached: false);
        cms.ComputeSignature(signer, silent: true);
        return TimestampEncoding.GrantedResponse(cms.Encode());
    }

    /// <summary>
    /// Answers the JSON request form of sigstore/timestamp-authority (<c>{"artifactHash": base64, "hashAlgorithm":
    /// "sha256"|"sha384"|"sha512", "nonce"?: integer, "certificates"?: bool}</c>), which sigstore-js sends, with the
    /// same DER TimeStampResp.
    /// </summary>
    internal byte[] RespondJson(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        Http.TimestampRequestJson request = Http.RequestJson.Read(body, Http.RequestJsonContext.Default.TimestampRequestJson);
        byte[] hash = Http.RequestJson.Base64(request.ArtifactHash, "artifactHash");
        HashAlgorithmName algorithm = Http.RequestJson.Required(request.HashAlgorithm, "hashAlgorithm") switch
        {
            "sha256" => HashAlgorithmName.SHA256,
            "sha384" => HashAlgorithmName.SHA384,
            "sha512" => HashAlgorithmName.SHA512,
            string other => throw InstanceErrors.TimestampRequestInvalid.ToException($"hashAlgorithm '{(other.Length > 20 ? other[..20] : other)}'"),
        };
        bool certificates = request.Certificates == true;
        byte[]? nonce = null;
        if (request.Nonce.ValueKind is not (System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null))
        {
            nonce = request.Nonce.ValueKind == System.Text.Json.JsonValueKind.Number && request.Nonce.TryGetInt64(out long value) && value > 0
                ? new System.Numerics.BigInteger(value).ToByteArray(isUnsigned: false, isBigEndian: true)
                : throw InstanceErrors.TimestampRequestInvalid.ToException("nonce is not a positive integer");
        }

        Rfc3161TimestampRequest der;
        try
        {
            der = Rfc3161TimestampRequest.CreateFromHash(hash, algorithm, requestSignerCertificates: certificates, nonce: nonce);
        }
        catch (CryptographicException ex)
        {
            throw InstanceErrors.TimestampRequestInvalid.ToException("artifactHash does not fit hashAlgorithm", ex);
        }

        return Respond(der.Encode(), now);
    }

    private ReadOnlyMemory<byte> SerialNumber()
    {
        long serial = Interlocked.Increment(ref _serial);
        return new System.Numerics.BigInteger(serial).ToByteArray(isUnsigned: false, isBigEndian: true);
    }

    /// <summary>Disposes the certificates and the signing key.</summary>
    public void Dispose()
    {
        _leafWithKey.Dispose();
        Leaf.Dispose();
        Root.Dispose();
    }
}
