using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Trust;
using SupplyChain.Http;
using SupplyChain.Instance.Ca;
using SupplyChain.Instance.Http;
using SupplyChain.Instance.Keys;
using SupplyChain.Instance.Log;
using SupplyChain.Instance.Oidc;
using SupplyChain.Instance.Rekor;
using SupplyChain.Instance.Setup;
using SupplyChain.Instance.Timestamps;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Instance;

/// <summary>
/// An embedded local Sigstore instance opened from its directory: a Fulcio-shaped CA with a CT log key, a Rekor v2
/// transparency log in the C2SP tlog-tiles format, an RFC 3161 TSA and an OIDC issuer for the local user, described by
/// its <c>trusted_root.json</c> and <c>signing_config.json</c>. Use it in process through
/// <see cref="CreateHttpHandler"/> (no server), or serve it on loopback with <see cref="ServeAsync"/>. Holds the log
/// open (one writer per directory); dispose to release it. docs/instance.md.
/// </summary>
public sealed class LocalInstance : IDisposable, IAsyncDisposable
{
    private readonly InstancePaths _paths;
    private readonly LocalCertificateAuthority _ca;
    private readonly LocalTimestampAuthority _tsa;
    private readonly LocalOidcIssuer _oidc;
    private readonly TileLog _log;
    private readonly BoundedHttpClient? _jwksClient;
    private readonly InstanceRouter _router;
    private readonly TimeProvider _time;

    private LocalInstance(InstancePaths paths, InstanceConfig config, LocalInstanceOptions options)
    {
        _paths = paths;
        _time = options.TimeProvider;
        Config = config;
        var disposables = new List<IDisposable>();
        try
        {
            X509Certificate2 root = InstanceFiles.ReadCertificate(paths.CaRootCertificate);
            disposables.Add(root);
            X509Certificate2 intermediate = InstanceFiles.ReadCertificate(paths.CaIntermediateCertificate);
            disposables.Add(intermediate);
            ECDsa intermediateKey = InstanceFiles.ReadEcdsaKey(paths.CaIntermediateKey);
            disposables.Add(intermediateKey);
            ECDsa ctKey = InstanceFiles.ReadEcdsaKey(paths.CtLogKey);
            disposables.Add(ctKey);
            _ca = new LocalCertificateAuthority(root, intermediate, intermediateKey, ctKey);
            disposables.Add(_ca);
            X509Certificate2 tsaLeaf = InstanceFiles.ReadCertificateWithKey(paths.TsaLeafCertificate, paths.TsaLeafKey);
            disposables.Add(tsaLeaf);
            X509Certificate2 tsaRoot = InstanceFiles.ReadCertificate(paths.TsaRootCertificate);
            disposables.Add(tsaRoot);
            _tsa = new LocalTimestampAuthority(tsaLeaf, tsaRoot);
            disposables.Add(_tsa);
            _oidc = new LocalOidcIssuer(config.Issuer, config.Identity, InstanceFiles.ReadEcdsaKey(paths.OidcKey));
            disposables.Add(_oidc);
            CheckpointSigner signer = CheckpointSigner.FromPkcs8Pem(config.LogOrigin, System.Text.Encoding.UTF8.GetString(InstanceFiles.Read(paths.TlogKey)));
            _log = TileLog.Open(paths.TlogData, signer, new TileLogOptions { TimeProvider = _time });
            disposables.Add(_log);

            if (config.ExternalIssuers.Any(e => e.JwksUrl is not null))
            {
                _jwksClient = new BoundedHttpClient(new BoundedHttpClientOptions(HttpErrorCodes.All(InstanceErrors.JwksUnavailable))
                {
                    Transport = options.Transport,
                    TimeProvider = _time,
                    Logger = options.LoggerFactory?.CreateLogger<LocalInstance>(),
                    ClientName = "jwks",
                });
                disposables.Add(_jwksClient);
            }

            var tokens = new TokenVerifier(_oidc, config.ExternalIssuers.Select(e => new ExternalJwks(e, paths.Directory, _jwksClient, _time)), _time);
            var log = new TileEntryLog(_log, signer);
            _router = new InstanceRouter(new SigningCertificateService(_ca, tokens, _time), new LogEntryService(log), log, _tsa, _oidc, _time);
        }
        catch
        {
            foreach (IDisposable d in Enumerable.Reverse(disposables))
            {
                d.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// The default instance directory: <c>$XDG_DATA_HOME/supplychain/instance</c>, else
    /// <c>~/.local/share/supplychain/instance</c> (the platform's local application data folder on Windows).
    /// </summary>
    public static string DefaultDirectory => DefaultDirectoryFor(Environment.GetEnvironmentVariable);

    /// <summary>The default instance directory for the environment <paramref name="environment"/> reads (<c>XDG_DATA_HOME</c>).</summary>
    /// <param name="environment">Reads an environment variable.</param>
    public static string DefaultDirectoryFor(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? xdg = environment("XDG_DATA_HOME");
        string data = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg) ? xdg
            : OperatingSystem.IsWindows() ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "supplychain", "instance");
    }

    /// <summary>The instance directory.</summary>
    public string Directory => _paths.Directory;

    /// <summary>The local OIDC issuer (the <c>--certificate-oidc-issuer</c> of its bundles).</summary>
    public string Issuer => Config.Issuer;

    /// <summary>The local user's identity (the <c>--certificate-identity</c> of its bundles).</summary>
    public string Identity => Config.Identity;

    /// <summary>The URL <c>instance serve</c> listens on by default, as the signing config names it.</summary>
    public Uri ServeUrl => Config.ServeUrl;

    /// <summary>The path of <c>trusted_root.json</c>.</summary>
    public string TrustedRootPath => _paths.TrustedRoot;

    /// <summary>The path of <c>signing_config.json</c>.</summary>
    public string SigningConfigPath => _paths.SigningConfig;

    /// <summary>The number of entries in the transparency log.</summary>
    public long LogSize => _log.Size;

    internal InstanceConfig Config { get; }

    internal InstanceRouter Router => _router;

    /// <summary>Whether <paramref name="directory"/> holds an initialised instance (its config file exists).</summary>
    /// <param name="directory">The instance directory.</param>
    public static bool Exists(string directory) => File.Exists(new InstancePaths(directory).Config);

    /// <summary>
    /// Creates an instance in <paramref name="directory"/>: CA root and intermediate (ECDSA P-384), CT log key (ECDSA
    /// P-256), checkpoint key (Ed25519), TSA chain, OIDC key (ES256), config, trusted root and signing config. Private
    /// keys are written 0600. SC8002 when one exists and <paramref name="force"/> is false; with it, the old keys and
    /// log are deleted.
    /// </summary>
    /// <param name="directory">The instance directory (created if missing).</param>
    /// <param name="force">Replace an existing instance.</param>
    /// <param name="options">Port and clock.</param>
    public static void Initialize(string directory, bool force = false, LocalInstanceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        InstanceInitializer.Initialize(new InstancePaths(directory), force, options ?? new LocalInstanceOptions());
    }

    /// <summary>Opens the instance in <paramref name="directory"/>; SC8001 when it is not initialised, SC8003/SC8004 when a file is bad, SC8101 when another process holds its log.</summary>
    /// <param name="directory">The instance directory.</param>
    /// <param name="options">Clock and JWKS transport.</param>
    public static LocalInstance Open(string directory, LocalInstanceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var paths = new InstancePaths(directory);
        if (!File.Exists(paths.Config))
        {
            throw InstanceErrors.InstanceNotInitialised.ToException($"{paths.Directory} (run 'signcli instance init')");
        }

        InstanceConfig config = InstanceConfig.Parse(InstanceFiles.Read(paths.Config));
        return new LocalInstance(paths, config, options ?? new LocalInstanceOptions());
    }

    /// <summary>Reads where the instance in <paramref name="directory"/> is served (its configured port on 127.0.0.1) without opening it (no log lock); SC8001 when there is none.</summary>
    /// <param name="directory">The instance directory.</param>
    public static Uri ReadServeUrl(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var paths = new InstancePaths(directory);
        if (!File.Exists(paths.Config))
        {
            throw InstanceErrors.InstanceNotInitialised.ToException($"{paths.Directory} (run 'signcli instance init')");
        }

        return InstanceConfig.Parse(InstanceFiles.Read(paths.Config)).ServeUrl;
    }

    /// <summary>The instance's trusted root.</summary>
    public TrustedRoot LoadTrustedRoot() => TrustedRoot.Parse(InstanceFiles.Read(_paths.TrustedRoot));

    /// <summary>Reads the trusted root of the instance in <paramref name="directory"/> without opening it (no log lock); SC8001 when there is none.</summary>
    /// <param name="directory">The instance directory.</param>
    public static TrustedRoot ReadTrustedRoot(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return TrustedRoot.Parse(InstanceFiles.Read(new InstancePaths(directory).TrustedRoot));
    }

    /// <summary>
    /// Audits the transparency log of the instance in <paramref name="directory"/> with the public key and origin its
    /// <c>trusted_root.json</c> lists (not the private key): checkpoint signature, every entry and tile, the root.
    /// SC81xx on failure (see <see cref="LogVerifier"/>).
    /// </summary>
    /// <param name="directory">The instance directory.</param>
    /// <param name="cancellationToken">Stops the audit.</param>
    public static LogVerificationReport VerifyLog(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var paths = new InstancePaths(directory);
        TrustedRoot root = ReadTrustedRoot(directory);
        TransparencyLogInstance log = root.TransparencyLogs.Count == 1
            ? root.TransparencyLogs[0]
            : throw InstanceErrors.InstanceFileInvalid.ToException("trusted_root.json does not list exactly one transparency log");
        string name = log.OriginHostname;
        ReadOnlySpan<byte> spki = log.PublicKey.SubjectPublicKeyInfo.Span;

        // C2SP signed-note verifier key: name+hex(key ID)+base64(0x01 || 32-byte Ed25519 key) (RFC 8410: the SPKI ends with the key).
        byte[] keyData = [0x01, .. spki[^32..]];
        uint keyId = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(log.LogId.Span);
        string verifierKey = name + "+" + keyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "+" + Convert.ToBase64String(keyData);
        return LogVerifier.Verify(paths.TlogData, verifierKey, cancellationToken);
    }

    /// <summary>The instance's signing config.</summary>
    public SigningConfig LoadSigningConfig() => SigningConfig.Parse(InstanceFiles.Read(_paths.SigningConfig));

    /// <summary>A handler that answers the signing config's URLs in process (give it to <c>BundleSignerOptions.Transport</c>).</summary>
    public HttpMessageHandler CreateHttpHandler() => new InstanceHttpHandler(_router);

    /// <summary>Mints an identity token (audience <c>sigstore</c>, 10 minutes) for the local user, in process.</summary>
    public IdentityToken MintIdentityToken() => IdentityToken.Parse(_oidc.Mint(TokenVerifier.Audience, _time.GetUtcNow()));

    /// <summary>
    /// Mints a simulated CI job token (docs/instance.md, "Simulated CI") with the job's <paramref name="claims"/>: what
    /// GitLab puts in <c>SIGSTORE_ID_TOKEN</c>, or what the GitHub Actions token endpoint answers. The CA certifies it
    /// with the Fulcio CI extensions of that CI.
    /// </summary>
    /// <param name="system">The CI system.</param>
    /// <param name="claims">The job's claims (strings; not iss, aud, exp, nbf, iat, jti).</param>
    /// <param name="audience">The audience; <c>sigstore</c> by default.</param>
    /// <returns>The compact JWS.</returns>
    public string MintCiToken(SimulatedCiSystem system, System.Text.Json.Nodes.JsonObject claims, string audience = TokenVerifier.Audience) =>
        _oidc.MintCi(system, claims, audience, _time.GetUtcNow());

    /// <summary>The issuer of this instance's simulated <paramref name="system"/> tokens (what their certificates name).</summary>
    /// <param name="system">The CI system.</param>
    public string SimulatedCiIssuer(SimulatedCiSystem system) => SimulatedCi.IssuerFor(Config.Issuer, system);

    /// <summary>Serves the HTTP APIs on 127.0.0.1:<paramref name="port"/> (the configured port when null, 0 for a free one); SC8005 when it cannot listen.</summary>
    /// <param name="port">The port.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public Task<LocalInstanceServer> ServeAsync(int? port = null, CancellationToken cancellationToken = default) =>
        LocalInstanceServer.StartAsync(_router, port ?? Config.Port, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _log.Dispose();
        _jwksClient?.Dispose();
        _oidc.Dispose();
        _tsa.Dispose();
        _ca.Dispose();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _log.DisposeAsync().ConfigureAwait(false);
        _jwksClient?.Dispose();
        _oidc.Dispose();
        _tsa.Dispose();
        _ca.Dispose();
    }
}
