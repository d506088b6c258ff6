using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Trust;
using SupplyChain.Instance;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Cli;

/// <summary>
/// The flags <c>sign-blob</c> and <c>attest-blob</c> share: where the identity token comes from (or <c>--key</c>),
/// which services sign and log, and the trusted root the bundle is checked against before it is written.
/// Token order (<see cref="IdentityTokenChain"/>): <c>--identity-token</c>, <c>SIGSTORE_ID_TOKEN</c>, ambient CI
/// credentials, then (on a terminal only) the browser or device flow. The defaults (services, trusted root) are
/// <see cref="SigstoreDeployment"/>'s. The token is parsed and checked with <see cref="IdentityToken"/> and never printed.
/// </summary>
internal sealed class SigningFlags
{
    private readonly Option<string> _bundle = new("--bundle") { Description = "Where to write the Sigstore bundle (v0.3 JSON).", Required = true, HelpName = "OUT" };
    private readonly Option<string> _token = new("--identity-token") { Description = "The OIDC identity token (a JWT), or @FILE to read it from a file. Default: SIGSTORE_ID_TOKEN, ambient CI credentials, else the browser flow on a terminal.", HelpName = "TOKEN" };
    private readonly Option<string> _key = new("--key") { Description = "Sign with this private key (cosign format or PEM) instead of a Fulcio certificate; the password comes from COSIGN_PASSWORD, else a prompt.", HelpName = "FILE" };
    private readonly Option<string> _oidcIssuer = new("--oidc-issuer") { Description = "The OIDC issuer for the browser or device flow.", HelpName = "URL", DefaultValueFactory = _ => OidcClientOptions.SigstoreIssuer.ToString() };
    private readonly Option<string> _oidcClientId = new("--oidc-client-id") { Description = "The OIDC client id for the browser or device flow.", HelpName = "ID", DefaultValueFactory = _ => "sigstore" };
    private readonly Option<bool> _deviceFlow = new("--oidc-device-flow") { Description = "Use the OAuth device flow instead of opening a browser." };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use Sigstore staging: the embedded staging trusted root, and fulcio/rekor.sigstage.dev unless a signing config or URLs are given." };
    private readonly Option<int?> _rekorVersion = new("--rekor-version") { Description = "The Rekor API version: 1 or 2 (2 needs a timestamp authority). Default: the highest the signing config offers, else 1.", HelpName = "1|2" };
    private readonly Option<string> _signingConfig = new("--signing-config") { Description = "A signing_config.json (v0.2) naming Fulcio, Rekor and TSA services.", HelpName = "FILE" };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "The trusted_root.json the bundle must verify against (default: embedded Sigstore production root, or staging with --staging).", HelpName = "FILE" };
    private readonly Option<string> _fulcioUrl = new("--fulcio-url") { Description = "Fulcio base URL (overrides the signing config).", HelpName = "URL" };
    private readonly Option<string> _rekorUrl = new("--rekor-url") { Description = "Rekor base URL (overrides the signing config).", HelpName = "URL" };
    private readonly Option<string> _tsaUrl = new("--timestamp-server-url") { Description = "RFC 3161 timestamp URL, e.g. https://timestamp.sigstore.dev/api/v1/timestamp (overrides the signing config).", HelpName = "URL" };

    private readonly Option<string> _instance = InstanceOption.Create("Sign");

    private readonly HttpMessageHandler? _httpHandler;
    private readonly bool _withBundle;
    private readonly ILoggerFactory? _loggers;

    /// <summary>Creates the flags.</summary>
    /// <param name="httpHandler">The handler for the signing services (tests); the default HTTP stack when null.</param>
    /// <param name="withBundle">Whether the command writes a bundle file (<c>--bundle</c>); image commands attach it instead.</param>
    /// <param name="loggers">Where the signer, the OIDC clients and the local instance log.</param>
    public SigningFlags(HttpMessageHandler? httpHandler = null, bool withBundle = true, ILoggerFactory? loggers = null)
    {
        _httpHandler = httpHandler;
        _withBundle = withBundle;
        _loggers = loggers;
    }

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        // Blob commands write a bundle file; image commands attach the bundle to the image. Both sign with the local
        // instance on --instance.
        if (_withBundle)
        {
            command.Options.Add(_bundle);
        }

        command.Options.Add(_instance);

        foreach (Option option in new Option[] { _token, _key, _oidcIssuer, _oidcClientId, _deviceFlow, _staging, _rekorVersion, _signingConfig, _trustedRoot, _fulcioUrl, _rekorUrl, _tsaUrl })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The <c>--bundle</c> path.</summary>
    public string BundlePath(ParseResult parse) => parse.GetRequiredValue(_bundle);

    /// <summary>Checks the flags that need no I/O (run before anything is read or asked for).</summary>
    public void Validate(ParseResult parse)
    {
        if (parse.GetValue(_rekorVersion) is { } v && v is not (1 or 2))
        {
            throw CliErrors.Usage.ToException("--rekor-version must be 1 or 2");
        }

        if (parse.GetValue(_key) is not null && parse.GetValue(_deviceFlow))
        {
            throw CliErrors.Usage.ToException("--key and --oidc-device-flow cannot be combined");
        }

        if (parse.GetValue(_instance) is not null)
        {
            // The instance brings its own trusted root, services (Rekor v2 with a TSA) and identity.
            foreach (Option option in new Option[] { _staging, _signingConfig, _trustedRoot, _fulcioUrl, _rekorUrl, _tsaUrl, _deviceFlow })
            {
                if (parse.GetResult(option) is { Implicit: false })
                {
                    throw CliErrors.Usage.ToException($"--instance and {option.Name} cannot be combined");
                }
            }

            if (parse.GetValue(_rekorVersion) is 1)
            {
                throw CliErrors.Usage.ToException("the local instance's log is Rekor v2; --rekor-version 1 cannot be combined with --instance");
            }
        }
    }

    /// <summary>The <c>--instance</c> value, or <see langword="null"/>.</summary>
    public string? InstanceValue(ParseResult parse) => parse.GetValue(_instance);

    /// <summary>Opens the <c>--instance</c> (initialising the default one on first use), or <see langword="null"/> without the flag.</summary>
    public LocalInstance? OpenInstance(ParseResult parse, IPasswordSource environment, TextWriter stderr) =>
        parse.GetValue(_instance) is { } value ? InstanceOption.OpenForSigning(value, environment, stderr, _loggers) : null;

    /// <summary>Builds the bundle signer for the local instance: its trusted root and signing config, answered in process.</summary>
    public BundleSigner CreateSigner(LocalInstance instance) => new(new BundleSignerOptions
    {
        TrustedMaterial = instance.LoadTrustedRoot(),
        SigningConfig = instance.LoadSigningConfig(),
        Transport = instance.CreateHttpHandler(),
        LoggerFactory = _loggers,
    });

    /// <summary>Builds the bundle signer from the trust and service flags.</summary>
    public BundleSigner CreateSigner(ParseResult parse)
    {
        SigstoreDeployment deployment = parse.GetValue(_staging) ? SigstoreDeployment.Staging : SigstoreDeployment.Production;
        TrustedRoot trust = parse.GetValue(_trustedRoot) is { } rootPath
            ? TrustedRoot.Parse(CliFiles.ReadAll(rootPath, "--trusted-root", CliLimits.MaxTrustedRootBytes))
            : deployment.TrustedRoot;
        SigningConfig? config = parse.GetValue(_signingConfig) is { } configPath
            ? SigningConfig.Parse(CliFiles.ReadAll(configPath, "--signing-config", CliLimits.MaxSigningConfigBytes))
            : null;
        // Without a signing config: the public-good (or staging) instances, as cosign does.
        (Uri? fulcio, Uri? rekor) = deployment.ServiceUrls(config, Url(parse.GetValue(_fulcioUrl), "--fulcio-url"), Url(parse.GetValue(_rekorUrl), "--rekor-url"));
        Uri? tsa = Url(parse.GetValue(_tsaUrl), "--timestamp-server-url");

        return new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = trust,
            SigningConfig = config,
            FulcioUrl = fulcio,
            RekorUrl = rekor,
            TimestampAuthorityUrl = tsa,
            RekorVersion = parse.GetValue(_rekorVersion),
            Transport = _httpHandler,
            LoggerFactory = _loggers,
        });
    }

    /// <summary>The key from <c>--key</c>, or <see langword="null"/> for keyless signing.</summary>
    public KeyFileSigner? LoadKey(ParseResult parse, IPasswordSource passwords, TextWriter stderr)
    {
        if (parse.GetValue(_key) is not { } keyPath)
        {
            return null;
        }

        string pem = CliFiles.ReadText(keyPath, "--key", CliLimits.MaxPrivateKeyBytes);
        if (!pem.Contains("ENCRYPTED", StringComparison.Ordinal))
        {
            return KeyFileSigner.FromPem(pem);
        }

        // cosign: COSIGN_PASSWORD, when set, is the password, even when empty.
        string? password = passwords.GetEnvironmentVariable(GenerateKeyPairCommand.PasswordVariable);
        if (password is null)
        {
            if (!passwords.IsInteractive)
            {
                throw SigningErrors.KeyPasswordUnavailable.ToException($"{GenerateKeyPairCommand.PasswordVariable} is not set and standard input is not a terminal");
            }

            password = passwords.ReadHidden("Enter password for private key: ", stderr);
        }

        byte[] bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return KeyFileSigner.FromPem(pem, bytes);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Gets and checks the identity token (expiry, audience <c>sigstore</c>) from the first source that has one.</summary>
    public async Task<IdentityToken> GetTokenAsync(ParseResult parse, IPasswordSource terminal, TextWriter stderr, LocalInstance? instance, CancellationToken cancellationToken)
    {
        // With --instance, the local user's token is minted in process unless a token is given (an external issuer's).
        if (instance is not null && parse.GetValue(_token) is null)
        {
            return instance.MintIdentityToken();
        }

        string? value = parse.GetValue(_token);
        using var chain = new IdentityTokenChain(new IdentityTokenChainOptions
        {
            Token = value is null || value.StartsWith('@') ? null : value.Trim(),
            TokenFile = value is not null && value.StartsWith('@') ? value[1..] : null,
            Environment = new PasswordSourceEnvironment(terminal),
            Ambient = new AmbientTokenProviderOptions { Environment = new PasswordSourceEnvironment(terminal), LoggerFactory = _loggers },
            Interactive = () => terminal.IsInteractive && !Console.IsErrorRedirected ? Interactive(parse, stderr) : null,
            UnavailableMessage = "pass --identity-token, set SIGSTORE_ID_TOKEN, run in CI with OIDC credentials, use --key, or run on a terminal for the browser flow",
        });
        return await chain.GetTokenAsync(SigstoreDeployment.Audience, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The browser flow, or the device flow with <c>--oidc-device-flow</c>, against <c>--oidc-issuer</c>.</summary>
    private IIdentityTokenProvider Interactive(ParseResult parse, TextWriter stderr)
    {
        Uri issuer = Url(parse.GetRequiredValue(_oidcIssuer), "--oidc-issuer")!;
        var options = new OidcClientOptions { Issuer = issuer, ClientId = parse.GetRequiredValue(_oidcClientId), LoggerFactory = _loggers };
        if (parse.GetValue(_deviceFlow))
        {
            return new DeviceFlowTokenProvider(options, (prompt, _) =>
            {
                stderr.WriteLine($"Open {prompt.VerificationUriComplete ?? prompt.VerificationUri} and enter the code {prompt.UserCode}");
                return ValueTask.CompletedTask;
            });
        }

        return new BrowserTokenProvider(options, (url, ct) =>
        {
            stderr.WriteLine($"Opening the browser for {issuer} (if it does not open, visit {url})");
            return BrowserTokenProvider.OpenSystemBrowser(url, ct);
        });
    }

    private static Uri? Url(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "https" or "http"
            ? url
            : throw CliErrors.Usage.ToException($"{option} '{text}' is not an absolute http(s) URL");
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file renamed over it.</summary>
    public static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw CliErrors.OutputUnwritable.ToException($"--bundle '{path}': {ex.Message}", ex);
        }
    }

    /// <summary>The environment as the token providers see it, through the CLI's test seam.</summary>
    internal sealed class PasswordSourceEnvironment(IPasswordSource source) : IEnvironmentVariables
    {
        /// <inheritdoc />
        public string? GetVariable(string name) => source.GetEnvironmentVariable(name);
    }
}
