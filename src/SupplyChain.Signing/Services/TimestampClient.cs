using System.Formats.Asn1;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Trust;

namespace SupplyChain.Signing.Services;

/// <summary>
/// RFC 3161 client: POSTs a DER TimeStampReq (section 2.4.1) as <c>application/timestamp-query</c> and checks the
/// TimeStampResp (section 2.4.2): status granted, the token's message imprint is the hash of the signature, the
/// nonce is ours ("the nonce ... MUST be the same as the value supplied in the request") and the token is signed by
/// a timestamp authority of the trusted root. The whole DER TimeStampResp is what the bundle stores.
/// </summary>
internal sealed class TimestampClient
{
    private readonly Uri _url;
    private readonly ServiceHttp _http;
    private readonly TimestampVerifier _verifier;

    public TimestampClient(Uri url, ServiceHttp http, ITrustedMaterial trust)
    {
        _url = url;
        _http = http;
        _verifier = new TimestampVerifier(trust);
    }

    /// <summary>Timestamps <paramref name="signature"/>; returns the verified DER TimeStampResp.</summary>
    public async Task<byte[]> TimestampAsync(byte[] signature, CancellationToken cancellationToken)
    {
        // A 64-bit random nonce, positive (RFC 3161: "a large random number with a high probability that the
        // client generates it only once").
        byte[] nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] &= 0x7F;
        nonce[0] |= 0x01;
        Rfc3161TimestampRequest request = Rfc3161TimestampRequest.CreateFromData(signature, HashAlgorithmName.SHA256, requestSignerCertificates: true, nonce: nonce);
        byte[] der = request.Encode();
        ServiceResponse response = await _http.SendAsync(
            "tsa",
            () => new HttpRequestMessage(HttpMethod.Post, _url)
            {
                Content = new ByteArrayContent(der) { Headers = { ContentType = new MediaTypeHeaderValue("application/timestamp-query") } },
                Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/timestamp-reply") } },
            },
            Limits.MaxTimestampResponseBytes,
            cancellationToken).ConfigureAwait(false);

        Check(response.Body, signature, nonce, _verifier);
        return response.Body;
    }

    /// <summary>Checks status, imprint, nonce and signer of a TimeStampResp.</summary>
    internal static void Check(byte[] response, byte[] signature, ReadOnlySpan<byte> nonce, TimestampVerifier verifier)
    {
        Rfc3161TimestampToken token = DecodeGranted(response);
        Rfc3161TimestampTokenInfo info = token.TokenInfo;
        if (info.HashAlgorithmId.Value != "2.16.840.1.101.3.4.2.1"
            || !info.GetMessageHash().Span.SequenceEqual(SHA256.HashData(signature)))
        {
            throw SigningErrors.TimestampDigestMismatch.ToException("the timestamp's message imprint is not SHA-256 of the signature");
        }

        if (info.GetNonce() is not { } echoed || !TrimLeadingZeros(echoed.Span).SequenceEqual(TrimLeadingZeros(nonce)))
        {
            throw SigningErrors.TimestampNonceMismatch.ToException("the timestamp's nonce is not the request's");
        }

        try
        {
            verifier.Verify(response, signature);
        }
        catch (SupplyChainException ex)
        {
            throw SigningErrors.TimestampUntrusted.ToException(ex.Code, ex);
        }
    }

    private static Rfc3161TimestampToken DecodeGranted(byte[] response)
    {
        try
        {
            // TimeStampResp ::= SEQUENCE { status PKIStatusInfo, timeStampToken TimeStampToken OPTIONAL }
            // PKIStatusInfo ::= SEQUENCE { status PKIStatus, statusString PKIFreeText OPTIONAL, failInfo PKIFailureInfo OPTIONAL }
            var reader = new AsnReader(response, AsnEncodingRules.DER);
            AsnReader resp = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            AsnReader statusInfo = resp.ReadSequence();
            if (!statusInfo.TryReadInt32(out int status))
            {
                throw SigningErrors.ServiceResponseMalformed.ToException("tsa: the PKIStatus is not a small integer");
            }

            // PKIStatus: granted (0) and grantedWithMods (1) carry a token; anything else is a refusal.
            if (status is not (0 or 1))
            {
                throw SigningErrors.TimestampNotGranted.ToException($"tsa: PKIStatus {status}");
            }

            if (!resp.HasData)
            {
                throw SigningErrors.ServiceResponseMalformed.ToException("tsa: a granted response without a timeStampToken");
            }

            ReadOnlyMemory<byte> tokenDer = resp.ReadEncodedValue();
            resp.ThrowIfNotEmpty();
            if (!Rfc3161TimestampToken.TryDecode(tokenDer, out Rfc3161TimestampToken? token, out int consumed) || consumed != tokenDer.Length)
            {
                throw SigningErrors.ServiceResponseMalformed.ToException("tsa: the timeStampToken cannot be decoded");
            }

            return token;
        }
        catch (AsnContentException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("tsa: the response is not a DER TimeStampResp", ex);
        }
        catch (CryptographicException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("tsa: the response is not a DER TimeStampResp", ex);
        }
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (i < value.Length - 1 && value[i] == 0)
        {
            i++;
        }

        return value[i..];
    }
}
