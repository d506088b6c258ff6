using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Services;

/// <summary>
/// Fulcio v2 client: <c>POST /api/v2/signingCert</c> (fulcio.proto CreateSigningCertificateRequest) with either a
/// public key and a proof of possession or a PKCS#10 CSR. The returned leaf is checked before use: it must carry
/// our key and the token's identity and issuer (Sigstore client spec, "Certificate Issuance": "the client MUST
/// verify ... the certificate's public key matches the signing key and the identity matches the token").
/// </summary>
internal sealed class FulcioClient
{
    private const string SigningCertPath = "api/v2/signingCert";
    private readonly Uri _baseUrl;
    private readonly ServiceHttp _http;

    public FulcioClient(Uri baseUrl, ServiceHttp http)
    {
        _baseUrl = WithTrailingSlash(baseUrl);
        _http = http;
    }

    /// <summary>Requests a certificate; returns the chain (leaf first) after checking key and identity.</summary>
    public async Task<X509Certificate2[]> RequestCertificateAsync(IArtifactSigner signer, IdentityToken token, bool useCsr, CancellationToken cancellationToken)
    {
        var request = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token.RawToken },
        };
        if (useCsr && signer is EphemeralSigner ephemeral)
        {
            // fulcio.proto: certificate_signing_request, "PEM encoded PKCS#10 certificate signing request", bytes
            // (base64 in JSON); the CSR's signature is the proof of possession.
            string csrPem = PemEncoding.WriteString("CERTIFICATE REQUEST", ephemeral.CreateSigningRequest(token.Subject));
            request["certificateSigningRequest"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(csrPem));
        }
        else
        {
            // fulcio.proto: proof_of_possession is "the OIDC token's subject (or email) signed by the private key".
            byte[] proof = signer.SignData(Encoding.UTF8.GetBytes(token.Subject));
            request["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject
                {
                    ["algorithm"] = AlgorithmName(signer),
                    ["content"] = PemEncoding.WriteString("PUBLIC KEY", signer.PublicKeySpki.Span),
                },
                ["proofOfPossession"] = Convert.ToBase64String(proof),
            };
        }

        byte[] body = Encoding.UTF8.GetBytes(request.ToJsonString());
        ServiceResponse response = await _http.SendAsync(
            "fulcio",
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, SigningCertPath))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
            },
            Limits.MaxFulcioResponseBytes,
            cancellationToken).ConfigureAwait(false);

        X509Certificate2[] chain = ParseChain(response.Body);
        try
        {
            CheckLeaf(chain[0], signer, token);
        }
        catch
        {
            foreach (X509Certificate2 c in chain)
            {
                c.Dispose();
            }

            throw;
        }

        return chain;
    }

    /// <summary>Parses <c>signedCertificateEmbeddedSct.chain.certificates</c> (or the detached-SCT form).</summary>
    internal static X509Certificate2[] ParseChain(byte[] body)
    {
        FulcioResponseJson? root;
        try
        {
            root = JsonSerializer.Deserialize(body, ServiceJsonContext.Default.FulcioResponseJson);
        }
        catch (JsonException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("fulcio: the response is not JSON of the expected shape", ex);
        }

        // fulcio.proto SigningCertificate: oneof signed_certificate_detached_sct / signed_certificate_embedded_sct.
        List<string?>? array = root?.Embedded?.Chain?.Certificates ?? root?.Detached?.Chain?.Certificates;
        if (array is not { Count: > 0 })
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("fulcio: no certificate chain in the response");
        }

        var chain = new List<X509Certificate2>();
        try
        {
            foreach (string? text in array)
            {
                chain.Add(X509Certificate2.CreateFromPem(text ?? throw SigningErrors.ServiceResponseMalformed.ToException("fulcio: a chain entry is not a PEM string")));
            }
        }
        catch (CryptographicException ex)
        {
            foreach (X509Certificate2 c in chain)
            {
                c.Dispose();
            }

            throw SigningErrors.ServiceResponseMalformed.ToException("fulcio: a chain entry is not a PEM certificate", ex);
        }

        return [.. chain];
    }

    /// <summary>Whether Fulcio certifies the token's identity as-is (an email, or a <c>scheme://</c> URI subject) rather than through a CI template.</summary>
    internal static bool IsCertifiedAsIs(IdentityToken token) =>
        token.Subject.Contains('@', StringComparison.Ordinal) || token.Subject.Contains("://", StringComparison.Ordinal);

    /// <summary>Checks that <paramref name="leaf"/> certifies our key for the token's identity and issuer.</summary>
    internal static void CheckLeaf(X509Certificate2 leaf, IArtifactSigner signer, IdentityToken token)
    {
        byte[] leafSpki = leaf.PublicKey.ExportSubjectPublicKeyInfo();
        if (!CryptographicOperations.FixedTimeEquals(leafSpki, signer.PublicKeySpki.Span))
        {
            throw SigningErrors.CertificateKeyMismatch.ToException("the certificate's subject public key is not the signing key");
        }

        FulcioCertificate identity;
        try
        {
            identity = FulcioCertificate.Parse(leaf);
        }
        catch (SupplyChainException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("fulcio: the certificate's identity extensions cannot be read", ex);
        }

        // Fulcio certifies an email or a URI subject as-is; for CI providers (GitHub Actions, GitLab, Buildkite, CircleCI)
        // the SAN comes from other claims (Fulcio's ci-issuer-metadata "subject-alternative-name-template", e.g. the job
        // workflow ref) while "sub" is "repo:OWNER/REPO:ref:REF" (Kubernetes: "system:serviceaccount:..."): only emails and
        // scheme://... URIs are compared.
        if (IsCertifiedAsIs(token) && !string.Equals(identity.SubjectAlternativeName, token.Subject, StringComparison.Ordinal))
        {
            throw SigningErrors.CertificateIdentityMismatch.ToException($"the certificate is for '{identity.SubjectAlternativeName}', the token for '{token.Subject}'");
        }

        if (!string.Equals(identity.Issuer, token.Issuer, StringComparison.Ordinal))
        {
            throw SigningErrors.CertificateIdentityMismatch.ToException($"the certificate's issuer is '{identity.Issuer}', the token's '{token.Issuer}'");
        }
    }

    private static string AlgorithmName(IArtifactSigner signer) => signer.Algorithm switch
    {
        // fulcio.proto PublicKeyAlgorithm (JSON enum names).
        Core.Keys.KeyAlgorithm.Ecdsa => "ECDSA",
        Core.Keys.KeyAlgorithm.Rsa => "RSA_PSS",
        _ => "ED25519",
    };

    internal static Uri WithTrailingSlash(Uri url) =>
        url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
