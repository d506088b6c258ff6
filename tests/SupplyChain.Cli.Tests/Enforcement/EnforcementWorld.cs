using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Cli.Tests.Enforcement;

/// <summary>
/// The real peers every case of the enforcement suite runs against, all on 127.0.0.1: Debian's docker-registry (one
/// open, one behind htpasswd basic auth), a TCP tarpit that accepts and never answers, a trickler that answers 500 and
/// sends its body one byte at a time, and a recorder that challenges for Basic credentials and keeps every request head.
/// Images are signed with two test keys (<c>ci</c>, <c>publisher</c>) whose bundles are recorded in a VirtualSigstore
/// log (its trusted root is <see cref="TrustedRootPath"/>), or keyless by the VirtualSigstore's CA. Built once per run.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xUnit disposes the fixture through IDisposable.Dispose, which disposes every field.")]
public sealed class EnforcementWorld : IDisposable
{
    private readonly Dictionary<string, Task<CaseSetup>> _setups = [];
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DistributionRegistry? _open;
    private DistributionRegistry? _authenticated;

    public EnforcementWorld()
    {
        Directory.CreateDirectory(Path.Combine(Folder, "keys"));
        File.WriteAllText(Path.Combine(Folder, "keys", "ci.pub"), Ci.PublicKeyPem);
        File.WriteAllText(Path.Combine(Folder, "keys", "publisher.pub"), Publisher.PublicKeyPem);
        File.WriteAllBytes(TrustedRootPath, Sigstore.TrustedRootBytes);
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("sc-enforce-").FullName;

    public VirtualSigstore Sigstore { get; } = VirtualSigstore.Create();

    public ImageKeySigner Ci => _ci ??= new ImageKeySigner(Sigstore);

    public ImageKeySigner Publisher => _publisher ??= new ImageKeySigner(Sigstore);

    public string TrustedRootPath => Path.Combine(Folder, "trusted_root.json");

    /// <summary>The open registry.</summary>
    public DistributionRegistry Registry => _open ??= DistributionRegistry.Start();

    /// <summary>The registry behind basic auth.</summary>
    public DistributionRegistry AuthenticatedRegistry => _authenticated ??= DistributionRegistry.Start(basicAuth: true);

    public Tarpit Tarpit { get; } = Tarpit.Start();

    /// <summary>Answers 500 with a body that trickles one byte every 200 ms.</summary>
    public RawHttpServer Trickler { get; } = RawHttpServer.Start(async (_, stream, ct) =>
    {
        await stream.WriteAsync(RawHttpServer.Head(500, "Internal Server Error", [("Content-Type", "application/json"), ("Content-Length", "100000")]), ct);
        while (!ct.IsCancellationRequested)
        {
            await stream.WriteAsync("x"u8.ToArray(), ct);
            await stream.FlushAsync(ct);
            await Task.Delay(200, ct);
        }
    });

    /// <summary>Challenges for Basic credentials; a client that sent the authenticated registry's password here would show it in <see cref="RawHttpServer.Requests"/>.</summary>
    public RawHttpServer Recorder { get; } = RawHttpServer.BasicChallengeRecorder();

    /// <summary>Credentials of <see cref="AuthenticatedRegistry"/> bound to its host only.</summary>
    public StaticCredentialSource Credentials => new(RegistryCredential.FromPassword(AuthenticatedRegistry.Credentials!.Value.User, AuthenticatedRegistry.Credentials.Value.Password), AuthenticatedRegistry.Host);

    /// <summary>A Docker config.json naming only <see cref="AuthenticatedRegistry"/> (the CLI's --authfile, the webhook's --docker-config).</summary>
    public string DockerConfigPath
    {
        get
        {
            string path = Path.Combine(Folder, "docker-config.json");
            if (!File.Exists(path))
            {
                (string user, string password) = AuthenticatedRegistry.Credentials!.Value;
                string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
                File.WriteAllText(path, new JsonObject { ["auths"] = new JsonObject { [AuthenticatedRegistry.Host] = new JsonObject { ["auth"] = auth } } }.ToJsonString());
            }

            return path;
        }
    }

    private ImageKeySigner? _ci;
    private ImageKeySigner? _publisher;

    /// <summary>The case's images and policy, built once and shared by the three surfaces.</summary>
    public async Task<CaseSetup> SetupAsync(EnforcementCase @case)
    {
        Task<CaseSetup> setup;
        await _gate.WaitAsync();
        try
        {
            if (!_setups.TryGetValue(@case.Name, out setup!))
            {
                _setups[@case.Name] = setup = @case.Arrange(this);
            }
        }
        finally
        {
            _gate.Release();
        }

        return await setup;
    }

    /// <summary>A client for pushing (credentials for the authenticated registry).</summary>
    public OciRegistryClient PushClient() => new(new OciRegistryClientOptions { Credentials = Credentials });

    /// <summary>A fresh repository prefix on <paramref name="registry"/>: <c>host/case-name-xxxx</c>.</summary>
    public static string Prefix(DistributionRegistry registry, string name) => registry.Host + "/" + name + "-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>Pushes a single-platform image (random layer) tagged <c>1</c>, with manifest annotations when given.</summary>
    public static async Task<PushedImage> PushAsync(IOciRegistry client, string repository, IReadOnlyDictionary<string, string>? annotations = null, int layers = 1) =>
        await TestImages.PushImageAsync(client, ImageReference.Parse(repository), "1", layers: layers, annotations: annotations);

    /// <summary>A claim (manifest annotations) naming <paramref name="repository"/> at <paramref name="digest"/>.</summary>
    public static Dictionary<string, string> Claim(string repository, string digest) => new()
    {
        [BaseImageClaim.NameKey] = repository + ":1",
        [BaseImageClaim.DigestKey] = digest,
    };

    /// <summary>Signs with a test key.</summary>
    public static Task SignAsync(IOciRegistry client, ImageKeySigner signer, PushedImage image) =>
        signer.SignAsync(client, image.Reference.ToString());

    /// <summary>A keyless (VirtualSigstore CA) signature bundle of the cosign 3 kind over <paramref name="image"/>, as JSON to edit.</summary>
    public JsonObject KeylessBundle(PushedImage image) =>
        JsonNode.Parse(Sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, ImageStatements.Signature(image.Reference, image.Descriptor.Digest)))!.AsObject();

    /// <summary>The policy header, then <paramref name="rules"/> (key paths are relative to the world's folder).</summary>
    public static string PolicyText(string rules, string defaultAction = "deny") => $"""
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        defaultAction: {defaultAction}
        rules:
        {rules}
        """;

    /// <summary>A rule over <paramref name="globs"/> signed by the CI key, with <paramref name="extra"/> lines.</summary>
    public static string CiRule(string name, string extra = "", params string[] globs) => $"""
          - name: {name}
            images: [{string.Join(", ", globs.Select(g => "\"" + g + "\""))}]
            authorities:
              - name: ci
                key: {"{"} path: keys/ci.pub {"}"}
        {extra}
        """;

    /// <summary>A rule over <paramref name="globs"/> signed by the publisher key.</summary>
    public static string PublisherRule(string name, params string[] globs) => $"""
          - name: {name}
            images: [{string.Join(", ", globs.Select(g => "\"" + g + "\""))}]
            authorities:
              - name: publisher
                key: {"{"} path: keys/publisher.pub {"}"}
        """;

    public void Dispose()
    {
        _open?.Dispose();
        _authenticated?.Dispose();
        Tarpit.Dispose();
        Trickler.Dispose();
        Recorder.Dispose();
        _ci?.Dispose();
        _publisher?.Dispose();
        Sigstore.Dispose();
        _gate.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
