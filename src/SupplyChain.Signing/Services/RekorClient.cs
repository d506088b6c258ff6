using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Errors;

namespace SupplyChain.Signing.Services;

/// <summary>What to log: the signature, its verifier (PEM certificate or public key) and what it covers.</summary>
/// <param name="Signature">The signature bytes (for DSSE, the envelope's signature).</param>
/// <param name="VerifierPem">The PEM certificate or PEM public key that verifies it.</param>
/// <param name="VerifierDer">The DER of the same (certificate or SPKI), for Rekor v2.</param>
/// <param name="IsCertificate">Whether the verifier is a certificate.</param>
/// <param name="KeyDetails">protobuf-specs PublicKeyDetails of the signing key, for Rekor v2.</param>
/// <param name="ArtifactDigest">SHA-256 of the artifact (message signatures) or of the PAE (DSSE, Rekor v2).</param>
/// <param name="DsseEnvelopeJson">For DSSE with Rekor v1, the envelope JSON; otherwise null.</param>
/// <param name="DssePayload">For DSSE with Rekor v1, the payload bytes; otherwise null.</param>
internal sealed record LogRequest(
    byte[] Signature,
    string VerifierPem,
    byte[] VerifierDer,
    bool IsCertificate,
    string KeyDetails,
    byte[] ArtifactDigest,
    string? DsseEnvelopeJson,
    byte[]? DssePayload);

/// <summary>
/// Rekor clients. v1: <c>POST /api/v1/log/entries</c> with a hashedrekord 0.0.1 or dsse 0.0.1 proposed entry
/// (rekor openapi.yaml createLogEntry), the response a map from UUID to LogEntry; 409 Conflict means the entry
/// exists and is fetched from the Location header. v2: <c>POST /api/v2/log/entries</c> with a
/// CreateEntryRequest (rekor-tiles rekor/v2/rekor_service.proto), the response a protobuf-specs
/// TransparencyLogEntry. Each returned entry's body is compared with what was proposed.
/// </summary>
internal sealed class RekorClient
{
    private readonly Uri _baseUrl;
    private readonly ServiceHttp _http;

    public RekorClient(Uri baseUrl, int majorVersion, ServiceHttp http)
    {
        _baseUrl = FulcioClient.WithTrailingSlash(baseUrl);
        MajorVersion = majorVersion;
        _http = http;
    }

    public int MajorVersion { get; }

    /// <summary>Logs the entry; returns the bundle's TransparencyLogEntry.</summary>
    public Task<TransparencyLogEntry> LogAsync(LogRequest request, CancellationToken cancellationToken) =>
        MajorVersion == 2 ? LogV2Async(request, cancellationToken) : LogV1Async(request, cancellationToken);

    private async Task<TransparencyLogEntry> LogV1Async(LogRequest request, CancellationToken cancellationToken)
    {
        string verifierB64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(request.VerifierPem));
        JsonObject proposed = request.DsseEnvelopeJson is null
            ? new JsonObject
            {
                ["apiVersion"] = "0.0.1",
                ["kind"] = "hashedrekord",
                ["spec"] = new JsonObject
                {
                    ["data"] = new JsonObject { ["hash"] = new JsonObject { ["algorithm"] = "sha256", ["value"] = Convert.ToHexStringLower(request.ArtifactDigest) } },
                    ["signature"] = new JsonObject
                    {
                        ["content"] = Convert.ToBase64String(request.Signature),
                        ["publicKey"] = new JsonObject { ["content"] = verifierB64 },
                    },
                },
            }
            : new JsonObject
            {
                ["apiVersion"] = "0.0.1",
                ["kind"] = "dsse",
                ["spec"] = new JsonObject
                {
                    ["proposedContent"] = new JsonObject
                    {
                        ["envelope"] = request.DsseEnvelopeJson,
                        ["verifiers"] = new JsonArray(verifierB64),
                    },
                },
            };

        byte[] body = Encoding.UTF8.GetBytes(proposed.ToJsonString());
        ServiceResponse response = await _http.SendAsync(
            "rekor",
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "api/v1/log/entries"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
            },
            Limits.MaxRekorResponseBytes,
            cancellationToken,
            HttpStatusCode.Conflict).ConfigureAwait(false);

        if (response.Status == HttpStatusCode.Conflict)
        {
            // openapi.yaml createLogEntry 409: "The request conflicts with the current state of the transparency
            // log", with the existing entry's URL in the Location header.
            // Follow the Location only on the same origin as the log: the entry must come from the log we asked.
            if (response.Location is null || Uri.Compare(response.Location, _baseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                throw SigningErrors.ServiceResponseMalformed.ToException("rekor: 409 Conflict without a Location on the log's own origin");
            }

            Uri location = response.Location;
            response = await _http.SendAsync(
                "rekor",
                () => new HttpRequestMessage(HttpMethod.Get, location) { Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } } },
                Limits.MaxRekorResponseBytes,
                cancellationToken).ConfigureAwait(false);
        }

        return ParseV1Response(response.Body, request);
    }

    /// <summary>Turns a v1 LogEntry map into a bundle TransparencyLogEntry after checking its body.</summary>
    internal static TransparencyLogEntry ParseV1Response(byte[] body, LogRequest request)
    {
        JsonObject entry;
        try
        {
            if (JsonNode.Parse(body) is not JsonObject map || map.Count != 1 || map.First().Value is not JsonObject e)
            {
                throw SigningErrors.ServiceResponseMalformed.ToException("rekor: the response is not a map with one log entry");
            }

            entry = e;
        }
        catch (JsonException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("rekor: the response is not JSON", ex);
        }

        string bodyB64 = Str(entry, "body");
        long integratedTime = Int(entry["integratedTime"], "integratedTime");
        long logIndex = Int(entry["logIndex"], "logIndex");
        byte[] logId = Hex(Str(entry, "logID"), "logID");
        JsonObject verification = entry["verification"] as JsonObject ?? throw Malformed("verification");
        string set = Str(verification, "signedEntryTimestamp");
        JsonObject proof = verification["inclusionProof"] as JsonObject ?? throw Malformed("verification.inclusionProof");

        byte[] canonicalBody;
        try
        {
            canonicalBody = Convert.FromBase64String(bodyB64);
        }
        catch (FormatException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("rekor: the entry body is not base64", ex);
        }

        (string kind, string version) = CheckV1Body(canonicalBody, request);

        var hashes = new List<ReadOnlyMemory<byte>>();
        foreach (JsonNode? h in proof["hashes"] as JsonArray ?? throw Malformed("inclusionProof.hashes"))
        {
            hashes.Add(Hex(h?.GetValueKind() == JsonValueKind.String ? h.GetValue<string>() : throw Malformed("inclusionProof.hashes"), "hash"));
        }

        // openapi.yaml LogEntry -> protobuf-specs rekor/v1 TransparencyLogEntry: hex log ID and hashes become bytes.
        return Entry(() => new TransparencyLogEntry(
            logIndex,
            logId,
            kind,
            version,
            integratedTime,
            Base64(set, "verification.signedEntryTimestamp"),
            new InclusionProof(
                Int(proof["logIndex"], "inclusionProof.logIndex"),
                Hex(Str(proof, "rootHash"), "rootHash"),
                Int(proof["treeSize"], "inclusionProof.treeSize"),
                hashes,
                Str(proof, "checkpoint")),
            canonicalBody));
    }

    /// <summary>A response that breaks the bundle's TransparencyLogEntry rules (a negative index, say) is a malformed response.</summary>
    private static TransparencyLogEntry Entry(Func<TransparencyLogEntry> build)
    {
        try
        {
            return build();
        }
        catch (MalformedInputException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException($"rekor: the entry breaks the bundle's TransparencyLogEntry rules ({ex.Code})", ex);
        }
    }

    // The log must have integrated what we proposed: same kind, same digest, same signature, same verifier.
    private static (string Kind, string Version) CheckV1Body(byte[] canonicalBody, LogRequest request)
    {
        JsonObject body;
        try
        {
            body = JsonNode.Parse(canonicalBody) as JsonObject ?? throw Malformed("body");
        }
        catch (JsonException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("rekor: the entry body is not JSON", ex);
        }

        string kind = Str(body, "kind");
        string version = Str(body, "apiVersion");
        JsonObject spec = body["spec"] as JsonObject ?? throw Malformed("body.spec");
        string verifierB64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(request.VerifierPem));
        string signatureB64 = Convert.ToBase64String(request.Signature);
        if (request.DsseEnvelopeJson is null)
        {
            bool same = kind == "hashedrekord" && version == "0.0.1"
                && (string?)spec["data"]?["hash"]?["algorithm"] == "sha256"
                && string.Equals((string?)spec["data"]?["hash"]?["value"], Convert.ToHexStringLower(request.ArtifactDigest), StringComparison.OrdinalIgnoreCase)
                && (string?)spec["signature"]?["content"] == signatureB64
                && (string?)spec["signature"]?["publicKey"]?["content"] == verifierB64;
            if (!same)
            {
                throw SigningErrors.LogEntryMismatch.ToException("the hashedrekord entry is not for this digest, signature and verifier");
            }
        }
        else
        {
            // dsse 0.0.1 canonical body: payloadHash and the envelope's signatures with their verifiers.
            string payloadHash = Convert.ToHexStringLower(SHA256.HashData(request.DssePayload!));
            bool signatureFound = spec["signatures"] is JsonArray signatures && signatures.Any(s =>
                (string?)s?["signature"] == signatureB64 && (string?)s?["verifier"] == verifierB64);
            bool same = kind == "dsse" && version == "0.0.1"
                && string.Equals((string?)spec["payloadHash"]?["value"], payloadHash, StringComparison.OrdinalIgnoreCase)
                && signatureFound;
            if (!same)
            {
                throw SigningErrors.LogEntryMismatch.ToException("the dsse entry is not for this payload, signature and verifier");
            }
        }

        return (kind, version);
    }

    private async Task<TransparencyLogEntry> LogV2Async(LogRequest request, CancellationToken cancellationToken)
    {
        // rekor-tiles CreateEntryRequest.hashed_rekord_request_v0_0_2: digest, signature{content, verifier}.
        JsonObject verifier = request.IsCertificate
            ? new JsonObject { ["x509Certificate"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(request.VerifierDer) } }
            : new JsonObject { ["publicKey"] = new JsonObject { ["rawBytes"] = Convert.ToBase64String(request.VerifierDer) } };
        verifier["keyDetails"] = request.KeyDetails;
        var proposed = new JsonObject
        {
            ["hashedRekordRequestV002"] = new JsonObject
            {
                ["digest"] = Convert.ToBase64String(request.ArtifactDigest),
                ["signature"] = new JsonObject { ["content"] = Convert.ToBase64String(request.Signature), ["verifier"] = verifier },
            },
        };
        byte[] body = Encoding.UTF8.GetBytes(proposed.ToJsonString());
        ServiceResponse response = await _http.SendAsync(
            "rekor",
            () => new HttpRequestMessage(HttpMethod.Post, new Uri(_baseUrl, "api/v2/log/entries"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
                Headers = { Accept = { new MediaTypeWithQualityHeaderValue("application/json") } },
            },
            Limits.MaxRekorResponseBytes,
            cancellationToken).ConfigureAwait(false);
        return ParseV2Response(response.Body, request);
    }

    /// <summary>Checks a v2 TransparencyLogEntry's body and returns it for the bundle.</summary>
    internal static TransparencyLogEntry ParseV2Response(byte[] body, LogRequest request)
    {
        TransparencyLogEntry entry;
        try
        {
            entry = TransparencyLogEntry.Parse(body);
        }
        catch (MalformedInputException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException($"rekor: the response is not a TransparencyLogEntry ({ex.Code})", ex);
        }

        JsonObject parsedBody;
        try
        {
            parsedBody = JsonNode.Parse(entry.CanonicalizedBody.Span) as JsonObject ?? throw Malformed("body");
        }
        catch (JsonException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException("rekor: the entry body is not JSON", ex);
        }

        JsonNode? spec = parsedBody["spec"]?["hashedRekordV002"];
        string? digest = (string?)spec?["data"]?["digest"];
        string? signature = (string?)spec?["signature"]?["content"];
        bool same = (string?)parsedBody["kind"] == "hashedrekord" && (string?)parsedBody["apiVersion"] == "0.0.2"
            && digest is not null && SameBase64(digest, request.ArtifactDigest)
            && signature is not null && SameBase64(signature, request.Signature);
        if (!same)
        {
            throw SigningErrors.LogEntryMismatch.ToException("the hashedrekord 0.0.2 entry is not for this digest and signature");
        }

        // A bundle v0.3 entry needs an inclusion proof with its checkpoint (Rekor v2 gives no inclusion promise).
        if (entry.InclusionProof?.Checkpoint is null)
        {
            throw Malformed("inclusionProof with its checkpoint");
        }

        return entry;
    }

    private static bool SameBase64(string text, byte[] expected)
    {
        try
        {
            return Convert.FromBase64String(text).AsSpan().SequenceEqual(expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static byte[] Base64(string text, string name)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException($"rekor: {name} is not base64", ex);
        }
    }

    private static string Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : throw Malformed(name);

    private static long Int(JsonNode? node, string name)
    {
        if (node is JsonValue v)
        {
            if (v.TryGetValue(out long l))
            {
                return l;
            }

            if (v.TryGetValue(out string? s) && long.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out l))
            {
                return l;
            }
        }

        throw Malformed(name);
    }

    private static byte[] Hex(string text, string name)
    {
        try
        {
            return Convert.FromHexString(text);
        }
        catch (FormatException ex)
        {
            throw SigningErrors.ServiceResponseMalformed.ToException($"rekor: {name} is not hex", ex);
        }
    }

    private static SupplyChainException Malformed(string what) =>
        SigningErrors.ServiceResponseMalformed.ToException($"rekor: {what} is missing or malformed");
}
