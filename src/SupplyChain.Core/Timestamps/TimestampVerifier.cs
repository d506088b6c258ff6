using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Timestamps;

/// <summary>A verified RFC 3161 time.</summary>
/// <param name="Time">The genTime of the token.</param>
/// <param name="Authority">The trusted TSA that issued it.</param>
internal sealed record VerifiedTimestamp(DateTimeOffset Time, CertificateAuthority Authority);

/// <summary>
/// RFC 3161 timestamp verification against the trusted root's TSAs (sigstore-go pkg/verify/tsa.go with sigstore
/// timestamp-authority pkg/verification). Built once per trusted root; thread-safe; never reads the clock: every
/// time check is made at the token's own genTime.
/// </summary>
internal sealed class TimestampVerifier
{
    private readonly TrustedTimestampAuthority[] _authorities;

    /// <summary>Precomputes per-TSA state: each chain's links and the TSA leaf profile are checked once, here.</summary>
    /// <param name="trust">The trusted material whose <see cref="ITrustedMaterial.TimestampAuthorities"/> are trusted.</param>
    public TimestampVerifier(ITrustedMaterial trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _authorities = trust.TimestampAuthorities.Select(a => new TrustedTimestampAuthority(a)).ToArray();
    }

    /// <summary>
    /// Verifies <paramref name="token"/> (a DER TimeStampResp, as bundles store it) over <paramref name="signature"/>:
    /// the CMS signature by a trusted TSA leaf, the TSA chain and the TSA's validFor at genTime, then the message imprint.
    /// </summary>
    /// <param name="token">The bundle's <c>signedTimestamp</c>: a DER RFC 3161 TimeStampResp.</param>
    /// <param name="signature">The bytes that were timestamped: the message signature or the DSSE signature.</param>
    /// <returns>The verified genTime and the TSA that vouches for it.</returns>
    /// <exception cref="MalformedInputException">SC1401 when the response cannot be decoded.</exception>
    /// <exception cref="VerificationFailedException">
    /// SC1402 bad signature, SC1403 untrusted signer, SC1404 imprint mismatch, SC1405 TSA not valid at genTime,
    /// SC1408 unsupported imprint hash algorithm.
    /// </exception>
    public VerifiedTimestamp Verify(ReadOnlyMemory<byte> token, ReadOnlySpan<byte> signature)
    {
        DecodedTimestamp decoded = TimestampResponseDecoder.Decode(token);
        DateTimeOffset genTime = decoded.Info.Timestamp;

        Failure? best = _authorities.Length == 0 ? new Failure(CoreErrors.TimestampUntrustedAuthority, "the trusted root lists no timestamp authority") : null;
        foreach (TrustedTimestampAuthority tsa in _authorities)
        {
            Failure? failure = Check(tsa, decoded, genTime);
            if (failure is null)
            {
                // The token is authentic and its TSA trusted at genTime; now, what did it timestamp?
                CheckImprint(decoded.Info, signature);
                return new VerifiedTimestamp(genTime, tsa.Authority);
            }

            best = best is null || failure.Rank > best.Rank ? failure : best;
        }

        throw best!.Code.ToException(best.Detail);
    }

    private static Failure? Check(TrustedTimestampAuthority tsa, DecodedTimestamp decoded, DateTimeOffset genTime)
    {
        string name = tsa.Authority.Uri ?? tsa.Authority.SubjectCommonName ?? "TSA";
        if (tsa.UnusableReason is { } reason)
        {
            return new Failure(CoreErrors.TimestampUntrustedAuthority, $"{name}: {reason}");
        }

        // RFC 5652 section 5.3: the SignerIdentifier names the signing certificate. Only a token that names this
        // TSA's leaf can have been signed by it.
        if (!tsa.IsNamedBy(decoded.Signer.SignerIdentifier))
        {
            return new Failure(CoreErrors.TimestampUntrustedAuthority, $"the timestamp is not signed by {name}");
        }

        // RFC 5280 section 6.1.3 (a)(2), evaluated at genTime rather than now: a timestamp outlives its TSA chain.
        // Checked before the signature because the BCL refuses a signer certificate that is expired at genTime.
        if (!tsa.ChainValidAt(genTime))
        {
            return new Failure(CoreErrors.TimestampAuthorityNotValidAtTime, $"genTime {genTime:O} is outside the validity of the certificate chain of {name}");
        }

        if (decoded.Token is not { } token)
        {
            // The BCL refused the token at decode time. Tell a broken signature (SC1402) from a token whose
            // signature is sound but whose ESS binding or embedded certificate fails RFC 3161 section 2.3 (SC1403).
            try
            {
                decoded.Signer.CheckSignature([tsa.Leaf], verifySignatureOnly: true);
            }
            catch (CryptographicException)
            {
                return new Failure(CoreErrors.TimestampSignatureInvalid, $"the CMS signature does not verify with the certificate of {name}");
            }

            return new Failure(CoreErrors.TimestampUntrustedAuthority, "the TSA certificate embedded in the timestamp fails the RFC 3161 section 2.3 checks (ESS binding or id-kp-timeStamping)");
        }

        Rfc3161TimestampTokenInfo info = decoded.Info;

        // RFC 5652 section 5.6 (signature over the signed attributes, message-digest and content-type attributes)
        // and RFC 3161 section 2.4.1 / RFC 5035 (the ESS signing-certificate(-v2) attribute binds the signer
        // certificate) are checked by the BCL. The imprint passed is the token's own, so this call checks only the
        // signature; the imprint is compared with the signature bytes afterwards.
        X509Certificate2? signerCertificate = null;
        try
        {
            bool valid = token.VerifySignatureForHash(info.GetMessageHash().Span, info.HashAlgorithmId, out signerCertificate, [tsa.Leaf]);
            if (!valid || signerCertificate is null)
            {
                return new Failure(CoreErrors.TimestampSignatureInvalid, $"the CMS signature does not verify with the certificate of {name}");
            }

            // Certificates embedded in the token are not trusted: the certificate whose key verified the signature
            // must be the trusted TSA leaf itself, byte for byte (sigstore timestamp-authority verifyEmbeddedLeafCert).
            if (!tsa.IsLeaf(signerCertificate))
            {
                return new Failure(CoreErrors.TimestampUntrustedAuthority, $"the signing certificate embedded in the timestamp is not the certificate of {name}");
            }
        }
        catch (CryptographicException ex)
        {
            return new Failure(CoreErrors.TimestampSignatureInvalid, $"the CMS signature cannot be verified with the certificate of {name}: {ex.Message}");
        }
        finally
        {
            if (signerCertificate is not null && !ReferenceEquals(signerCertificate, tsa.Leaf))
            {
                signerCertificate.Dispose();
            }
        }

        // Sigstore client spec: the TSA's validFor in the trusted root (a closed interval) must contain genTime.
        if (!tsa.Authority.ValidFor.Contains(genTime))
        {
            return new Failure(CoreErrors.TimestampAuthorityNotValidAtTime, $"genTime {genTime:O} is outside {name} validFor {tsa.Authority.ValidFor}");
        }

        return null;
    }

    private static void CheckImprint(Rfc3161TimestampTokenInfo info, ReadOnlySpan<byte> signature)
    {
        // RFC 3161 section 2.4.2: messageImprint "contains the hash algorithm and the hash value of the data to be
        // time-stamped"; Sigstore timestamps the signature bytes.
        HashAlgorithmName algorithm = info.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => throw CoreErrors.TimestampImprintAlgorithmUnsupported.ToException($"message imprint algorithm {info.HashAlgorithmId.Value}"),
        };

        Span<byte> digest = stackalloc byte[64];
        int written = CryptographicOperations.HashData(algorithm, signature, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest[..written], info.GetMessageHash().Span))
        {
            throw CoreErrors.TimestampImprintMismatch.ToException($"the {algorithm.Name} message imprint is not the hash of the signature");
        }
    }

    /// <summary>A failure against one TSA; the most specific (highest rank) is reported when none verifies.</summary>
    private sealed record Failure(ErrorCode Code, string Detail)
    {
        public int Rank => Code.Code switch
        {
            "SC1405" => 3,
            "SC1402" => 2,
            _ => 1,
        };
    }
}
