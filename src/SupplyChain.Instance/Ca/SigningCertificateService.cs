using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Instance.Http;
using SupplyChain.Instance.Oidc;

namespace SupplyChain.Instance.Ca;

/// <summary>
/// Fulcio v2 <c>POST /api/v2/signingCert</c> (fulcio.proto CreateSigningCertificateRequest): verifies the OIDC
/// token, the proof of possession (a signature by the submitted key over the token's <c>sub</c> or certified
/// identity, or a PKCS#10 CSR's self-signature), and answers <c>signedCertificateEmbeddedSct.chain</c> with the
/// leaf, intermediate and root as PEM.
/// </summary>
internal sealed class SigningCertificateService
{
    private readonly LocalCertificateAuthority _ca;
    private readonly TokenVerifier _tokens;
    private readonly TimeProvider _time;

    public SigningCertificateService(LocalCertificateAuthority ca, TokenVerifier tokens, TimeProvider time)
    {
        _ca = ca;
        _tokens = tokens;
        _time = time;
    }

    public async Task<byte[]> CreateAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        SigningCertificateRequestJson request = RequestJson.Read(body.Span, RequestJsonContext.Default.SigningCertificateRequestJson);
        string token = RequestJson.Required(RequestJson.Required(request.Credentials, "credentials").OidcIdentityToken, "oidcIdentityToken");
        PublicKey key;
        FulcioPublicKeyRequestJson? keyRequest = request.PublicKeyRequest;
        string? csr = request.CertificateSigningRequest;
        if ((keyRequest is null) == (csr is null))
        {
            throw InstanceErrors.RequestMalformed.ToException("exactly one of publicKeyRequest and certificateSigningRequest is required");
        }

        VerifiedIdentity identity = await _tokens.VerifyAsync(token, cancellationToken).ConfigureAwait(false);
        if (keyRequest is not null)
        {
            key = ServiceKeys.FromPem(RequestJson.Required(RequestJson.Required(keyRequest.PublicKey, "publicKey").Content, "content"));
            byte[] proof = RequestJson.Base64(keyRequest.ProofOfPossession, "proofOfPossession");

            // fulcio.proto: proof_of_possession is "the OIDC token's subject (or email) signed by the private key".
            if (!ServiceKeys.VerifyData(key, Encoding.UTF8.GetBytes(identity.Subject), proof)
                && !ServiceKeys.VerifyData(key, Encoding.UTF8.GetBytes(identity.Identity), proof))
            {
                throw InstanceErrors.ProofOfPossessionInvalid.ToException("the signature over the token's subject does not verify with the key");
            }
        }
        else
        {
            key = FromCsr(csr!);
        }

        using X509Certificate2 leaf = _ca.Issue(key, identity.Identity, identity.IsEmail, identity.Issuer, _time.GetUtcNow(), identity.CiExtensions);
        var certificates = new JsonArray(PemEncoding.WriteString("CERTIFICATE", leaf.RawData));
        foreach (X509Certificate2 certificate in _ca.Chain)
        {
            certificates.Add((JsonNode)PemEncoding.WriteString("CERTIFICATE", certificate.RawData));
        }

        var response = new JsonObject
        {
            ["signedCertificateEmbeddedSct"] = new JsonObject { ["chain"] = new JsonObject { ["certificates"] = certificates } },
        };
        return Encoding.UTF8.GetBytes(response.ToJsonString());
    }

    /// <summary>A CSR: base64 of its PEM (fulcio.proto certificate_signing_request); its signature is the proof of possession.</summary>
    private static PublicKey FromCsr(string base64Pem)
    {
        string pem;
        try
        {
            pem = Encoding.UTF8.GetString(Convert.FromBase64String(base64Pem));
        }
        catch (FormatException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException("certificateSigningRequest is not base64", ex);
        }

        CertificateRequest request;
        try
        {
            // LoadSigningRequestPem checks the request's self-signature (CertificateRequestLoadOptions.Default).
            request = CertificateRequest.LoadSigningRequestPem(pem, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException ex)
        {
            throw InstanceErrors.ProofOfPossessionInvalid.ToException("the CSR is malformed or its signature does not verify", ex);
        }
        catch (ArgumentException ex)
        {
            throw InstanceErrors.RequestMalformed.ToException("the CSR is not a PEM CERTIFICATE REQUEST", ex);
        }
        catch (NotSupportedException ex)
        {
            // Checking the self-signature of a CSR whose key algorithm .NET does not know throws NotSupportedException
            // (found by fuzzing instance-http: a key algorithm OID of 1.2.840.10014.4.3.18).
            throw InstanceErrors.PublicKeyUnsupported.ToException("the CSR's key algorithm is not supported", ex);
        }

        return ServiceKeys.FromSpki(request.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
