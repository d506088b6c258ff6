using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using SupplyChain.Core.Trust;
using SupplyChain.Instance;
using SupplyChain.Signing.Oidc;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Signing.Tests.Fakes;

/// <summary>
/// The tests' Sigstore: a real <see cref="LocalInstance"/> (initialised in a temporary directory, its clock a
/// <see cref="FakeTimeProvider"/>) answers Fulcio v2, Rekor v2 and the RFC 3161 TSA through its in-process router
/// (<see cref="LocalInstance.CreateHttpHandler"/>), and this handler is a fault-injecting, recording layer over it:
/// call counts, the last request body per path, <see cref="Intercept"/>, and overrides applied by rewriting what the
/// real services are asked or answer. Bundles verify against <see cref="TrustedRoot"/>: the instance's own
/// <c>trusted_root.json</c> plus the one log the instance does not run (below).
/// </summary>
internal sealed class FakeSigstore : DelegatingHandler
{
    /// <summary>The instance's local user (its <c>config.json</c> default).</summary>
    public const string Identity = "local-user@supplychain.localhost";

    /// <summary>The instance's local OIDC issuer.</summary>
    public const string Issuer = "https://oidc.supplychain.localhost";

    public static readonly Uri BaseUrl = new("https://sigstore.fake.test/");
    public static readonly Uri TsaUrl = new("https://sigstore.fake.test/api/v1/timestamp");

    private const string FulcioPath = "/api/v2/signingCert";
    private const string RekorV1Path = "/api/v1/log/entries";
    private const string RekorV2Path = "/api/v2/log/entries";
    private const string TimestampPath = "/api/v1/timestamp";

    // RFC 6962 section 3.3: the X.509v3 extension carrying the embedded SCT list.
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";

    private readonly Dictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly string _directory;

    /// <summary>Rekor v1 (<c>/api/v1/log/entries</c>) is not served by the instance, which runs only a Rekor v2 tile
    /// log; BundleSigner and signcli still sign with <c>--rekor-version 1</c>, so that one route stays here, over the
    /// test kit's virtual Rekor v1 log (its key is added to <see cref="TrustedRoot"/>). Nothing else of it is used.</summary>
    private readonly VirtualSigstore _rekorV1;

    public FakeSigstore(DateTimeOffset? now = null)
    {
        // Whole seconds: the TSA's genTime then has no fraction (sigstore-js parses only three-digit fractions).
        DateTimeOffset utc = DateTimeOffset.UtcNow;
        Clock = new FakeTimeProvider(now ?? utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)));
        _directory = Directory.CreateTempSubdirectory("sc-fake-sigstore-").FullName;
        var options = new LocalInstanceOptions { TimeProvider = Clock };
        LocalInstance.Initialize(_directory, options: options);
        Instance = LocalInstance.Open(_directory, options);
        if (Instance.Identity != Identity || Instance.Issuer != Issuer)
        {
            throw new InvalidOperationException($"the instance certifies {Instance.Identity} of {Instance.Issuer}, not the fake's constants");
        }

        InnerHandler = Instance.CreateHttpHandler();
        _rekorV1 = VirtualSigstore.Create(new VirtualSigstoreOptions { Now = Clock.GetUtcNow() });
        Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Signer = new LeafKeySigner(Key);
        TrustedRootJson = WithRekorV1(File.ReadAllText(Instance.TrustedRootPath), _rekorV1);
        TrustedRoot = TrustedRoot.Parse(TrustedRootBytes);
    }

    /// <summary>The real instance behind the fake.</summary>
    public LocalInstance Instance { get; }

    /// <summary>The instance's clock (frozen unless a test advances it).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>The signing key of <see cref="Signer"/>.</summary>
    public ECDsa Key { get; }

    /// <summary>Signs with <see cref="Key"/> and remembers its last signature.</summary>
    public LeafKeySigner Signer { get; }

    /// <summary>The instance's trusted root with the Rekor v1 log added.</summary>
    public string TrustedRootJson { get; }

    public byte[] TrustedRootBytes => Encoding.UTF8.GetBytes(TrustedRootJson);

    public TrustedRoot TrustedRoot { get; }

    /// <summary>Called before the fake answers: (path, call number for that path, request body) → a response to send instead, or null.</summary>
    public Func<string, int, byte[], HttpResponseMessage?>? Intercept { get; set; }

    /// <summary>Replaces the leaf of Fulcio's answer (the instance's CA chain follows it) without asking the CA.</summary>
    public X509Certificate2? FulcioLeafOverride { get; set; }

    /// <summary>Changes the bytes the TSA timestamps: the request's message imprint is rewritten to their SHA-256.</summary>
    public byte[]? TimestampDataOverride { get; set; }

    /// <summary>Changes the nonce the TSA echoes: the request's nonce is rewritten.</summary>
    public byte[]? TimestampNonceOverride { get; set; }

    /// <summary>Changes the digest of the logged body: Rekor v1 logs another body; the Rekor v2 answer's body is rewritten.</summary>
    public byte[]? RekorDigestOverride { get; set; }

    /// <summary>The last request body per path.</summary>
    public Dictionary<string, byte[]> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>The last Rekor v1 response (for 409 recovery).</summary>
    public string? LastV1Response { get; private set; }

    public int Calls(string path)
    {
        lock (_calls)
        {
            return _calls.GetValueOrDefault(path);
        }
    }

    /// <summary>An identity token for the instance's local user, minted by its OIDC issuer.</summary>
    public IdentityToken Token() => Instance.MintIdentityToken();

    /// <summary>A signer whose Fulcio, Rekor (v1 or v2) and TSA (or none) are this fake, trusting <see cref="TrustedRoot"/>.</summary>
    public Bundles.BundleSigner CreateSigner(int rekorVersion = 1, bool tsa = true) => new(new Bundles.BundleSignerOptions
    {
        TrustedMaterial = TrustedRoot,
        FulcioUrl = BaseUrl,
        RekorUrl = BaseUrl,
        TimestampAuthorityUrl = tsa ? TsaUrl : null,
        RekorVersion = rekorVersion,
        Transport = this,
    });

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Asks the instance's CA for a certificate for <paramref name="key"/> on behalf of <paramref name="token"/> (a compact JWS).</summary>
    public async Task<X509Certificate2> IssueAsync(ECDsa key, string token)
    {
        string subject = IdentityToken.Parse(token).Subject;
        var request = new JsonObject
        {
            ["credentials"] = new JsonObject { ["oidcIdentityToken"] = token },
            ["publicKeyRequest"] = new JsonObject
            {
                ["publicKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["content"] = key.ExportSubjectPublicKeyInfoPem() },
                ["proofOfPossession"] = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(subject), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)),
            },
        };
        using var invoker = new HttpMessageInvoker(Instance.CreateHttpHandler());
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseUrl, FulcioPath)) { Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json") };
        using HttpResponseMessage response = await invoker.SendAsync(message, CancellationToken.None);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the instance CA refused: {(int)response.StatusCode} {body}");
        }

        return X509Certificate2.CreateFromPem((string)JsonNode.Parse(body)!["signedCertificateEmbeddedSct"]!["chain"]!["certificates"]![0]!);
    }

    /// <summary>
    /// <paramref name="certificate"/> re-signed by the instance's intermediate CA without its embedded SCT list: what a
    /// CA that skipped the CT log would issue.
    /// </summary>
    public X509Certificate2 WithoutSct(X509Certificate2 certificate)
    {
        using var intermediateKey = ECDsa.Create();
        intermediateKey.ImportFromPem(File.ReadAllText(Path.Combine(_directory, "ca", "intermediate.key")));
        using X509Certificate2 intermediate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(_directory, "ca", "intermediate.pem")));
        var request = new CertificateRequest(certificate.SubjectName, certificate.PublicKey, HashAlgorithmName.SHA384);
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SctListOid)
            {
                request.CertificateExtensions.Add(extension);
            }
        }

        return request.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForECDsa(intermediateKey), certificate.NotBefore, certificate.NotAfter, certificate.SerialNumberBytes.Span);
    }

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

        switch (path)
        {
            case RekorV1Path:
                return Json(HttpStatusCode.Created, RekorV1(body));
            case var _ when path.StartsWith(RekorV1Path + "/", StringComparison.Ordinal) && LastV1Response is not null:
                return Json(HttpStatusCode.OK, LastV1Response);
            case FulcioPath when FulcioLeafOverride is not null:
                return Json(HttpStatusCode.Created, FulcioAnswerWith(FulcioLeafOverride));
            case TimestampPath when TimestampDataOverride is not null || TimestampNonceOverride is not null:
                request.Content = RewrittenTimestampRequest(body);
                break;
            default:
                break;
        }

        HttpResponseMessage answer = await base.SendAsync(request, cancellationToken);
        if (path == RekorV2Path && RekorDigestOverride is not null && answer.IsSuccessStatusCode)
        {
            string rewritten = WithLoggedDigest(await answer.Content.ReadAsStringAsync(cancellationToken), RekorDigestOverride);
            answer.Content = new StringContent(rewritten, Encoding.UTF8, "application/json");
        }

        return answer;
    }

    /// <summary>Logs a Rekor v1 entry (hashedrekord or dsse 0.0.1) in the virtual v1 log and answers as Rekor v1 does.</summary>
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

        VirtualTransparencyLog log = _rekorV1.RekorV1;
        long index = log.Append(body);
        long size = log.Tree.Size;
        byte[] root = log.Tree.RootHash(size);
        long integrated = Clock.GetUtcNow().ToUnixTimeSeconds();
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

    /// <summary>The instance's trusted root with the virtual Rekor v1 log's entry appended to <c>tlogs</c>.</summary>
    private static string WithRekorV1(string instanceRoot, VirtualSigstore rekorV1)
    {
        JsonNode root = JsonNode.Parse(instanceRoot)!;
        string logId = Convert.ToBase64String(rekorV1.RekorV1.LogId);
        JsonNode v1 = JsonNode.Parse(rekorV1.TrustedRootJson)!["tlogs"]!.AsArray()
            .Single(t => (string?)t!["logId"]!["keyId"] == logId)!;
        root["tlogs"]!.AsArray().Add(v1.DeepClone());
        return root.ToJsonString();
    }

    /// <summary>A Fulcio v2 answer: <paramref name="leaf"/>, then the instance's CA chain from its trusted root.</summary>
    private string FulcioAnswerWith(X509Certificate2 leaf)
    {
        var certificates = new JsonArray(leaf.ExportCertificatePem());
        JsonNode authority = JsonNode.Parse(File.ReadAllText(Instance.TrustedRootPath))!["certificateAuthorities"]![0]!;
        foreach (JsonNode? c in authority["certChain"]!["certificates"]!.AsArray())
        {
            certificates.Add(PemEncoding.WriteString("CERTIFICATE", Convert.FromBase64String((string)c!["rawBytes"]!)));
        }

        return new JsonObject { ["signedCertificateEmbeddedSct"] = new JsonObject { ["chain"] = new JsonObject { ["certificates"] = certificates } } }.ToJsonString();
    }

    /// <summary>The client's RFC 3161 request with its message imprint and/or nonce replaced by the overrides.</summary>
    private ByteArrayContent RewrittenTimestampRequest(byte[] body)
    {
        if (!Rfc3161TimestampRequest.TryDecode(body, out Rfc3161TimestampRequest? original, out _))
        {
            return new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/timestamp-query") } };
        }

        ReadOnlyMemory<byte> hash = TimestampDataOverride is { } data ? SHA256.HashData(data) : original.GetMessageHash();
        HashAlgorithmName algorithm = TimestampDataOverride is not null ? HashAlgorithmName.SHA256 : HashAlgorithmFor(original.HashAlgorithmId);
        Rfc3161TimestampRequest rewritten = Rfc3161TimestampRequest.CreateFromHash(
            hash, algorithm, original.RequestedPolicyId, TimestampNonceOverride ?? original.GetNonce(), original.RequestSignerCertificate);
        return new ByteArrayContent(rewritten.Encode()) { Headers = { ContentType = new MediaTypeHeaderValue("application/timestamp-query") } };
    }

    private static HashAlgorithmName HashAlgorithmFor(Oid oid) => oid.Value switch
    {
        "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
        "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };

    /// <summary>A Rekor v2 TransparencyLogEntry whose canonicalized hashedrekord 0.0.2 body names <paramref name="digest"/>.</summary>
    private static string WithLoggedDigest(string entryJson, byte[] digest)
    {
        JsonNode entry = JsonNode.Parse(entryJson)!;
        JsonNode body = JsonNode.Parse(Convert.FromBase64String((string)entry["canonicalizedBody"]!))!;
        body["spec"]!["hashedRekordV002"]!["data"]!["digest"] = Convert.ToBase64String(digest);
        entry["canonicalizedBody"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(body.ToJsonString()));
        return entry.ToJsonString();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Signer.Dispose();
            Key.Dispose();
            _rekorV1.Dispose();
            Instance.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory; the OS cleans it.
            }
        }

        base.Dispose(disposing);
    }
}
