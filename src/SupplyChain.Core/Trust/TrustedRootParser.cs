using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;

namespace SupplyChain.Core.Trust;

/// <summary>Builds a <see cref="TrustedRoot"/> from JSON, importing every key and certificate once.</summary>
internal static class TrustedRootParser
{
    public static TrustedRoot Parse(ReadOnlySpan<byte> utf8Json)
    {
        TrustedRootDto dto = TrustDocument.Deserialize(utf8Json, TrustJsonContext.Default.TrustedRootDto, CoreErrors.TrustedRootMalformed);
        if (dto.MediaType is not (TrustedRoot.MediaTypeV0_1 or TrustedRoot.MediaTypeV0_2))
        {
            throw CoreErrors.TrustedRootUnsupportedMediaType.ToException($"'{dto.MediaType}'");
        }

        var tlogs = ParseLogs(dto.Tlogs, "tlogs");
        var ctlogs = ParseLogs(dto.Ctlogs, "ctlogs");
        var cas = ParseAuthorities(dto.CertificateAuthorities, "certificateAuthorities");
        var tsas = ParseAuthorities(dto.TimestampAuthorities, "timestampAuthorities");
        return new TrustedRoot(dto.MediaType, tlogs, cas, ctlogs, tsas);
    }

    private static List<TransparencyLogInstance> ParseLogs(List<TransparencyLogInstanceDto?>? logs, string path)
    {
        var result = new List<TransparencyLogInstance>();
        if (logs is null)
        {
            return result;
        }

        for (int i = 0; i < logs.Count; i++)
        {
            string at = $"{path}[{i}]";
            TransparencyLogInstanceDto log = logs[i] ?? throw CoreErrors.TrustedRootMalformed.ToException(at + " is null");
            PublicKeyDto key = log.PublicKey ?? throw CoreErrors.TrustedRootInvalidKey.ToException(at + ".publicKey is missing");
            string keyDetails = key.KeyDetails ?? throw CoreErrors.TrustedRootInvalidKey.ToException(at + ".publicKey.keyDetails is missing");
            byte[] raw = Bytes(key.RawBytes, at + ".publicKey.rawBytes", CoreErrors.TrustedRootInvalidKey);
            PublicKeyVerifier verifier = ImportKey(raw, keyDetails, at);
            TimeRange validFor = ParseRange(key.ValidFor, at + ".publicKey.validFor");
            byte[] logId = Bytes(log.LogId?.KeyId, at + ".logId.keyId", CoreErrors.TrustedRootMalformed);
            byte[]? checkpointKeyId = log.CheckpointKeyId?.KeyId is { } ck ? Bytes(ck, at + ".checkpointKeyId.keyId", CoreErrors.TrustedRootMalformed) : null;
            if (log.HashAlgorithm is not (null or "SHA2_256"))
            {
                throw CoreErrors.TrustedRootMalformed.ToException($"{at}.hashAlgorithm '{log.HashAlgorithm}' is not supported");
            }

            result.Add(new TransparencyLogInstance(log.BaseUrl ?? string.Empty, log.HashAlgorithm ?? "SHA2_256", verifier, keyDetails, validFor, logId, checkpointKeyId is null ? null : checkpointKeyId, log.Operator));
        }

        return result;
    }

    private static List<CertificateAuthority> ParseAuthorities(List<CertificateAuthorityDto?>? authorities, string path)
    {
        var result = new List<CertificateAuthority>();
        if (authorities is null)
        {
            return result;
        }

        for (int i = 0; i < authorities.Count; i++)
        {
            string at = $"{path}[{i}]";
            CertificateAuthorityDto ca = authorities[i] ?? throw CoreErrors.TrustedRootMalformed.ToException(at + " is null");
            List<RawBytesDto?> certs = ca.CertChain?.Certificates ?? [];
            if (certs.Count == 0 || certs.Count > Limits.MaxCertificatesInChain)
            {
                throw CoreErrors.TrustedRootInvalidCertificateChain.ToException($"{at}.certChain has {certs.Count} certificates");
            }

            var chain = new List<X509Certificate2>(certs.Count);
            for (int c = 0; c < certs.Count; c++)
            {
                byte[] der = Bytes(certs[c]?.RawBytes, $"{at}.certChain.certificates[{c}].rawBytes", CoreErrors.TrustedRootInvalidCertificateChain);
                try
                {
                    chain.Add(LoadCompletely(der));
                }
                catch (CryptographicException ex)
                {
                    throw CoreErrors.TrustedRootInvalidCertificateChain.ToException($"{at}.certChain.certificates[{c}] is not a certificate", ex);
                }
            }

            TimeRange validFor = ParseRange(ca.ValidFor, at + ".validFor");
            result.Add(new CertificateAuthority(ca.Uri, ca.Subject?.Organization, ca.Subject?.CommonName, chain, validFor, ca.Operator));
        }

        return result;
    }

    /// <summary>
    /// Loads a certificate and decodes now every part that <see cref="X509Certificate2"/> decodes only when it is first
    /// read and verification reads (validity, names, basic constraints, key usage, extended key usage), so a malformed
    /// certificate is refused here with SC1105 instead of throwing <see cref="CryptographicException"/> later from a
    /// verifier's constructor (found by fuzzing: a UTCTime such as "3503\xae6081406Z", a BasicConstraints value with
    /// trailing bytes).
    /// </summary>
    private static X509Certificate2 LoadCompletely(byte[] der)
    {
        X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        try
        {
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            _ = certificate.SubjectName.RawData;
            _ = certificate.IssuerName.RawData;
            foreach (X509Extension extension in certificate.Extensions)
            {
                _ = extension switch
                {
                    X509BasicConstraintsExtension bc => bc.CertificateAuthority || bc.HasPathLengthConstraint || bc.PathLengthConstraint != 0,
                    X509KeyUsageExtension ku => ku.KeyUsages != 0,
                    X509EnhancedKeyUsageExtension eku => eku.EnhancedKeyUsages.Count != 0,
                    _ => true,
                };
            }

            return certificate;
        }
        catch (CryptographicException)
        {
            certificate.Dispose();
            throw;
        }
    }

    /// <summary>
    /// sigstore-conformance "trust-root-tlog-missing-validity-start_fail": a key or CA without a start
    /// makes the root invalid; it is never read as "valid since forever".
    /// </summary>
    private static TimeRange ParseRange(TimeRangeDto? range, string path)
    {
        if (range?.Start is not { } start)
        {
            throw CoreErrors.TrustedRootValidityStartMissing.ToException(path + ".start");
        }

        if (range.End is { } end && end < start)
        {
            throw CoreErrors.TrustedRootMalformed.ToException($"{path}: end precedes start");
        }

        return new TimeRange(start, range.End);
    }

    /// <summary>Imports a trusted-root key by its protobuf-specs PublicKeyDetails.</summary>
    private static PublicKeyVerifier ImportKey(byte[] raw, string keyDetails, string path)
    {
        try
        {
            return keyDetails switch
            {
                "PKIX_ECDSA_P256_SHA_256" or "ECDSA_P256_SHA_256" or "PKIX_ECDSA_P256_HMAC_SHA_256"
                    => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw, HashAlgorithmName.SHA256),
                "PKIX_ECDSA_P384_SHA_384" => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw, HashAlgorithmName.SHA384),
                "PKIX_ECDSA_P521_SHA_512" => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw, HashAlgorithmName.SHA512),
                "PKIX_ED25519" => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw),
                "PKIX_RSA_PKCS1V5" or "PKIX_RSA_PKCS1V15_2048_SHA256" or "PKIX_RSA_PKCS1V15_3072_SHA256" or "PKIX_RSA_PKCS1V15_4096_SHA256"
                    => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                "PKIX_RSA_PSS" or "PKIX_RSA_PSS_2048_SHA256" or "PKIX_RSA_PSS_3072_SHA256" or "PKIX_RSA_PSS_4096_SHA256"
                    => PublicKeyVerifier.FromSubjectPublicKeyInfo(raw, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                "PKCS1_RSA_PKCS1V5" => PublicKeyVerifier.FromSubjectPublicKeyInfo(Pkcs1ToSpki(raw), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                "PKCS1_RSA_PSS" => PublicKeyVerifier.FromSubjectPublicKeyInfo(Pkcs1ToSpki(raw), HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                _ => throw CoreErrors.TrustedRootInvalidKey.ToException($"{path}.publicKey.keyDetails '{keyDetails}' is not supported"),
            };
        }
        catch (MalformedInputException ex)
        {
            throw CoreErrors.TrustedRootInvalidKey.ToException($"{path}.publicKey ({keyDetails})", ex);
        }
        catch (VerificationFailedException ex)
        {
            throw CoreErrors.TrustedRootInvalidKey.ToException($"{path}.publicKey ({keyDetails})", ex);
        }
    }

    private static byte[] Pkcs1ToSpki(byte[] pkcs1)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportRSAPublicKey(pkcs1, out _);
        }
        catch (CryptographicException ex)
        {
            throw CoreErrors.PublicKeyMalformed.ToException("not a PKCS#1 RSAPublicKey", ex);
        }

        return rsa.ExportSubjectPublicKeyInfo();
    }

    private static byte[] Bytes(string? base64, string path, ErrorCode error)
    {
        if (base64 is null || !StrictBase64.TryDecode(base64, out byte[]? bytes) || bytes.Length == 0)
        {
            throw error.ToException(path + " is missing or not base64");
        }

        return bytes;
    }
}
