using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Timestamps;

/// <summary>
/// Decodes the <c>signedTimestamp</c> of a Sigstore bundle: a DER RFC 3161 <c>TimeStampResp</c>
/// (protobuf-specs RFC3161SignedTimestamp: "the DER encoded TimeStampResponse", RFC 3161 section 2.4.2).
/// </summary>
internal static class TimestampResponseDecoder
{
    /// <summary>
    /// Decodes <paramref name="response"/> and returns its TimeStampToken. Fails closed with SC1401 on anything
    /// that is not exactly one granted response: oversize input, BER, trailing bytes, a rejection status, no token.
    /// </summary>
    /// <param name="response">The DER TimeStampResp.</param>
    public static DecodedTimestamp Decode(ReadOnlyMemory<byte> response)
    {
        if (response.Length > Limits.MaxDerBytes)
        {
            throw CoreErrors.TimestampMalformed.ToException($"{response.Length} bytes exceeds the limit of {Limits.MaxDerBytes}");
        }

        ReadOnlyMemory<byte> tokenBytes;
        try
        {
            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
            var reader = new AsnReader(response, AsnEncodingRules.DER);
            AsnReader resp = reader.ReadSequence();
            reader.ThrowIfNotEmpty();

            // PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }
            AsnReader statusInfo = resp.ReadSequence();
            if (!statusInfo.TryReadInt32(out int status))
            {
                throw CoreErrors.TimestampMalformed.ToException("the PKIStatus is out of range");
            }

            // RFC 3161 section 2.4.2: "When the status contains the value zero or one, a TimeStampToken MUST be
            // present. When status contains a value other than zero or one, a TimeStampToken MUST NOT be present."
            if (status is not (0 or 1))
            {
                throw CoreErrors.TimestampMalformed.ToException($"the TSA did not grant the timestamp (PKIStatus {status})");
            }

            if (!resp.HasData)
            {
                throw CoreErrors.TimestampMalformed.ToException("a granted response has no TimeStampToken");
            }

            tokenBytes = resp.ReadEncodedValue();
            resp.ThrowIfNotEmpty();
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.TimestampMalformed.ToException("not a DER TimeStampResp", ex);
        }

        // RFC 3161 section 2.4.2: TimeStampToken ::= ContentInfo (RFC 5652 section 3) holding SignedData over a TSTInfo.
        // TryDecode must consume the token exactly: trailing bytes inside the response are rejected.
        try
        {
            if (Rfc3161TimestampToken.TryDecode(tokenBytes, out Rfc3161TimestampToken? token, out int read))
            {
                return read == tokenBytes.Length
                    ? new DecodedTimestamp(token, token.AsSignedCms().SignerInfos[0], token.TokenInfo)
                    : throw CoreErrors.TimestampMalformed.ToException("trailing bytes after the TimeStampToken");
            }
        }
        catch (CryptographicException ex)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken cannot be decoded", ex);
        }

        return DecodeRefused(tokenBytes);
    }

    /// <summary>
    /// <see cref="Rfc3161TimestampToken.TryDecode"/> also refuses a well-formed token whose embedded signer certificate
    /// fails its RFC 3161 section 2.3 / 2.4.1 checks (ESS binding, id-kp-timeStamping, validity at genTime). Such a
    /// token is not malformed: it is returned without a <see cref="DecodedTimestamp.Token"/> so the verifier can say why.
    /// </summary>
    private static DecodedTimestamp DecodeRefused(ReadOnlyMemory<byte> tokenBytes)
    {
        var cms = new SignedCms();
        try
        {
            cms.Decode(tokenBytes.Span);
        }
        catch (CryptographicException ex)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken is not a CMS SignedData", ex);
        }

        if (cms.ContentInfo.ContentType.Value != TstInfoContentType
            || cms.SignerInfos.Count != 1
            || !Rfc3161TimestampTokenInfo.TryDecode(cms.ContentInfo.Content, out Rfc3161TimestampTokenInfo? info, out int read)
            || read != cms.ContentInfo.Content.Length)
        {
            throw CoreErrors.TimestampMalformed.ToException("the TimeStampToken does not hold exactly one signer over one TSTInfo");
        }

        return new DecodedTimestamp(null, cms.SignerInfos[0], info);
    }

    /// <summary>id-ct-TSTInfo (RFC 3161 section 2.4.2).</summary>
    private const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";
}

/// <summary>A decoded TimeStampToken.</summary>
/// <param name="Token">
/// The token, or <see langword="null"/> when the BCL refused its embedded signer certificate (then it cannot verify).
/// </param>
/// <param name="Signer">The token's only SignerInfo (RFC 5652 section 5.3).</param>
/// <param name="Info">The token's TSTInfo (RFC 3161 section 2.4.2).</param>
internal sealed record DecodedTimestamp(Rfc3161TimestampToken? Token, SignerInfo Signer, Rfc3161TimestampTokenInfo Info);
