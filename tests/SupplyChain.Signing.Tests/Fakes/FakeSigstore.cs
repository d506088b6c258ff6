using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;
using SupplyChain.Testing.Timestamps;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Signing.Tests.Fakes;

/// <summary>
/// A stub HttpMessageHandler that plays Fulcio, Rekor v1/v2 and an RFC 3161 TSA over a VirtualSigstore (the test
/// kit's in-process CA, logs and TSA, which is also the trusted root). <see cref="Intercept"/> replaces or tampers
/// with responses for failure tests.
/// </summary>
internal sealed class FakeSigstore : HttpMessageHandler
{
    public const string Identity = SigningOptions.DefaultIdentity;
    public const string Issuer = SigningOptions.DefaultIssuer;
    public static readonly Uri BaseUrl = new("https://sigstore.fake.test/");
    public static readonly Uri TsaUrl = new("https://sigstore.fake.test/api/v1/timestamp");

    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);

    public FakeSigstore(DateTimeOffset? now = null)
    {
        // Whole seconds: the TSA's genTime then has no fraction (sigstore-js parses only three-digit fractions).
        DateTimeOffset utc = DateTimeOffset.UtcNow;
        Virtual = VirtualSigstore.Create(new VirtualSigstoreOptions { Now = now ?? utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)) });
        Leaf = Virtual.IssueLeaf(Identity, Issuer);
        Signer = new LeafKeySigner(Leaf.Key);
        TrustedRoot = TrustedRoot.Parse(Virtual.TrustedRootBytes);
    }

    public VirtualSigstore Virtual { get; }

    public LeafCertificate Leaf { get; }

    public LeafKeySigner Signer { get; }

    public TrustedRoot TrustedRoot { get; }

    /// <summary>Called before the fake answers: (path, call number for that path, request body) → a response to send instead, or null.</summary>
    public Func<string, int, byte[], HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>Changes the certificate the fake Fulcio issues (defaults to the leaf for <see cref="Signer"/>).</summary>
    public X509Certificate2? FulcioLeafOverride { get; set; }

    /// <summary>Changes the bytes the fake TSA timestamps (defaults to the signer's last signature).</summary>
    public byte[]? TimestampDataOverride { get; set; }

    /// <summary>Changes the nonce the fake TSA echoes.</summary>
    public byte[]? TimestampNonceOverride { get; set; }

    /// <summary>Changes the digest the fake Rekor logs (another body).</summary>
    public byte[]? RekorDigestOverride { get; set; }

    /// <summary>The last request body per path.</summary>
    public Dictionary<string, byte[]> Requests { get; } = new(StringComparer.Ordinal);

    public int Calls(string path) => _calls.GetValueOrDefault(path);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath;
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        int call;
        lock (_calls)
        {
            call = _calls[path] = _calls.GetValueOrDefault(path) + 1;
            Requests[path] = body;
        }

        if (Intercept?.Invoke(path, call, body) is { } replaced)
        {
            replaced.RequestMessage = request;
            return replaced;
        }

        return path switch
        {
            "/api/v2/signingCert" => Json(HttpStatusCode.Created, Fulcio()),
            "/api/v1/log/entries" => Json(HttpStatusCode.Created, RekorV1(body)),
            "/api/v2/log/entries" => Json(HttpStatusCode.Created, RekorV2(body).ToJsonString()),
            "/api/v1/timestamp" => Tsa(body),
            _ when path.StartsWith("/api/v1/log/entries/", StringComparison.Ordinal) && LastV1Response is not null => Json(HttpStatusCode.OK, LastV1Response),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    /// <summary>The last Rekor v1 response (for 409 recovery).</summary>
    public string? LastV1Response { get; private set; }

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private string Fulcio()
    {
        X509Certificate2 leaf = FulcioLeafOverride ?? Leaf.Certificate;
        var certificates = new JsonArray(leaf.ExportCertificatePem());
        foreach (X509Certificate2 c in Virtual.CertificateAuthority.Chain)
        {
            certificates.Add(c.ExportCertificatePem());
        }

        return new JsonObject { ["signedCertificateEmbeddedSct"] = new JsonObject { ["chain"] = new JsonObject { ["certificates"] = certificates } } }.ToJsonString();
    }

    public string RekorV1(byte[] request)
    {
        JsonNode proposed = JsonNode.Parse(request)!;
        byte[] body;
        if ((string?)proposed["kind"] == "hashedrekord")
        {
            JsonNode spec = proposed["spec"]!;
            byte[] digest = RekorDigestOverride ?? Convert.FromHexString((string)spec["data"]!["hash"]!["value"]!);
            byte[] signature = Convert.FromBase64String((string)spec["signature"]!["content"]!);
            string pem = Encoding.UTF8.GetString(Convert.FromBase64String((string)spec["signature"]!["publicKey"]!["content"]!));
            body = RekorBodies.HashedRekordV001(digest, signature, pem);
        }
        else
        {
            JsonNode content = proposed["spec"]!["proposedContent"]!;
            string envelope = (string)content["envelope"]!;
            JsonNode env = JsonNode.Parse(envelope)!;
            string pem = Encoding.UTF8.GetString(Convert.FromBase64String((string)content["verifiers"]![0]!));
            byte[] payload = Convert.FromBase64String((string)env["payload"]!);
            byte[] signature = Convert.FromBase64String((string)env["signatures"]![0]!["sig"]!);
            body = RekorBodies.DsseV001(Encoding.UTF8.GetBytes(envelope), payload, signature, pem);
        }

        VirtualTransparencyLog log = Virtual.RekorV1;
        long index = log.Append(body);
        long size = log.Tree.Size;
        byte[] root = log.Tree.RootHash(size);
        long integrated = Virtual.Now.ToUnixTimeSeconds();
        var hashes = new JsonArray();
        foreach (byte[] h in log.Tree.InclusionProof(index, size))
        {
            hashes.Add(Convert.ToHexStringLower(h));
        }

        var entry = new JsonObject
        {
            ["body"] = Convert.ToBase64String(body),
            ["integratedTime"] = integrated,
            ["logID"] = Convert.ToHexStringLower(log.LogId),
            ["logIndex"] = index,
            ["verification"] = new JsonObject
            {
                ["inclusionProof"] = new JsonObject
                {
                    ["checkpoint"] = log.SignCheckpoint(size, root),
                    ["hashes"] = hashes,
                    ["logIndex"] = index,
                    ["rootHash"] = Convert.ToHexStringLower(root),
                    ["treeSize"] = size,
                },
                ["signedEntryTimestamp"] = Convert.ToBase64String(log.SignEntryTimestamp(body, integrated, index)),
            },
        };
        string uuid = Convert.ToHexStringLower(SHA256.HashData(body));
        LastV1Response = new JsonObject { [uuid] = entry }.ToJsonString();
        return LastV1Response;
    }

    private JsonObject RekorV2(byte[] request)
    {
        JsonNode r = JsonNode.Parse(request)!["hashedRekordRequestV002"]!;
        byte[] digest = RekorDigestOverride ?? Convert.FromBase64String((string)r["digest"]!);
        byte[] signature = Convert.FromBase64String((string)r["signature"]!["content"]!);
        JsonNode verifier = r["signature"]!["verifier"]!;
        byte[]? cert = verifier["x509Certificate"] is { } x ? Convert.FromBase64String((string)x["rawBytes"]!) : null;
        byte[]? spki = verifier["publicKey"] is { } p ? Convert.FromBase64String((string)p["rawBytes"]!) : null;
        byte[] body = RekorBodies.HashedRekordV002(digest, signature, (string)verifier["keyDetails"]!, cert, spki);

        VirtualTransparencyLog log = Virtual.RekorV2;
        long index = log.Append(body);
        long size = log.Tree.Size;
        byte[] root = log.Tree.RootHash(size);
        var hashes = new JsonArray();
        foreach (byte[] h in log.Tree.InclusionProof(index, size))
        {
            hashes.Add(Convert.ToBase64String(h));
        }

        return new JsonObject
        {
            ["logIndex"] = index.ToString(CultureInfo.InvariantCulture),
            ["logId"] = new JsonObject { ["keyId"] = Convert.ToBase64String(log.LogId) },
            ["kindVersion"] = new JsonObject { ["kind"] = "hashedrekord", ["version"] = "0.0.2" },
            ["inclusionProof"] = new JsonObject
            {
                ["logIndex"] = index.ToString(CultureInfo.InvariantCulture),
                ["rootHash"] = Convert.ToBase64String(root),
                ["treeSize"] = size.ToString(CultureInfo.InvariantCulture),
                ["hashes"] = hashes,
                ["checkpoint"] = new JsonObject { ["envelope"] = log.SignCheckpoint(size, root) },
            },
            ["canonicalizedBody"] = Convert.ToBase64String(body),
        };
    }

    private HttpResponseMessage Tsa(byte[] request)
    {
        if (!Rfc3161TimestampRequest.TryDecode(request, out Rfc3161TimestampRequest? decoded, out _))
        {
            return new HttpResponseMessage(HttpStatusCode.BadRequest);
        }

        var tsa = (TestTimestampAuthority)Virtual.TimestampMinter!;
        byte[] data = TimestampDataOverride ?? Signer.LastSignature ?? throw new InvalidOperationException("nothing signed yet");
        ReadOnlyMemory<byte>? nonce = TimestampNonceOverride ?? decoded.GetNonce();
        byte[] response = tsa.Timestamp(data, Virtual.Now, nonce: nonce);
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(response) };
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Leaf.Dispose();
            Virtual.Dispose();
        }

        base.Dispose(disposing);
    }
}
