using System.CommandLine;
using Microsoft.Extensions.Logging;
using SupplyChain.Instance;
using SupplyChain.Instance.Log;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli instance init|serve|token|verify-log</c>: create the embedded local Sigstore instance, serve its HTTP
/// APIs on 127.0.0.1, print a token for the local user, and verify its transparency log. docs/instance.md.
/// </summary>
internal sealed class InstanceCommand
{
    private readonly Option<string> _dir = Dir();
    private readonly Option<bool> _force = new("--force") { Description = "Replace an existing instance (its keys and log are deleted)." };
    private readonly Option<int?> _initPort = Port("The port 'instance serve' listens on, written into signing_config.json (default 7391).");
    private readonly Option<string> _serveDir = Dir();
    private readonly Option<int?> _servePort = Port("The port to listen on (default: the instance's configured port; 0 picks a free one).");
    private readonly Option<string> _tokenDir = Dir();
    private readonly Option<string> _verifyDir = Dir();
    private readonly Option<string> _ciDir = Dir();
    private readonly Argument<string> _ciSystem = CiSystemArgument();
    private readonly Option<string> _ciClaims = new("--claims") { Description = "The simulated job's OIDC claims: a JSON object of strings (GitHub: repository, ref, sha, workflow_ref, job_workflow_ref, ...; GitLab: project_path, ref, ref_type, sha, ci_config_ref_uri, ...).", HelpName = "FILE", Required = true };
    private readonly Option<string> _ciUrl = new("--url") { Description = "Where the instance is served (default: its configured port on 127.0.0.1).", HelpName = "URL" };

    private readonly IPasswordSource _environment;
    private readonly LocalInstanceOptions _openOptions;

    /// <summary>Creates the command and its subcommands.</summary>
    /// <param name="environment">The environment (for the default instance directory).</param>
    /// <param name="loggers">Where an opened instance logs (its JWKS client).</param>
    public InstanceCommand(IPasswordSource environment, ILoggerFactory? loggers = null)
    {
        _environment = environment;
        _openOptions = new LocalInstanceOptions { LoggerFactory = loggers };
        Init = new Command("init", "Create the local Sigstore instance (CA, CT log, transparency log, TSA and OIDC keys; trusted_root.json; signing_config.json).") { _dir, _force, _initPort };
        Serve = new Command("serve", "Serve the instance's Fulcio, Rekor v2, TSA and OIDC APIs on 127.0.0.1 until interrupted.") { _serveDir, _servePort };
        Token = new Command("token", "Print an identity token (audience sigstore, 10 minutes) for the local user, for other Sigstore clients.") { _tokenDir };
        VerifyLog = new Command("verify-log", "Audit the instance's transparency log with the key in its trusted_root.json: checkpoint signature, every entry and tile, the root hash.") { _verifyDir };
        CiEnv = new Command("ci-env", "Print the environment (export lines) of a simulated GitHub Actions or GitLab CI job whose OIDC token this instance issues (docs/instance.md).") { _ciSystem, _ciDir, _ciClaims, _ciUrl };
        Command = new Command("instance", "The embedded local Sigstore instance (docs/instance.md).") { Init, Serve, Token, VerifyLog, CiEnv };
    }

    /// <summary>The <c>instance</c> command.</summary>
    public Command Command { get; }

    /// <summary><c>instance init</c>.</summary>
    public Command Init { get; }

    /// <summary><c>instance serve</c>.</summary>
    public Command Serve { get; }

    /// <summary><c>instance token</c>.</summary>
    public Command Token { get; }

    /// <summary><c>instance verify-log</c>.</summary>
    public Command VerifyLog { get; }

    /// <summary><c>instance ci-env</c>.</summary>
    public Command CiEnv { get; }

    /// <summary>Makes each subcommand's action its handler, writing to <paramref name="stdout"/> and <paramref name="stderr"/>.</summary>
    public void SetActions(TextWriter stdout, TextWriter stderr)
    {
        Init.SetAction(parse => RunInit(parse, stdout));
        Token.SetAction(parse => RunToken(parse, stdout));
        CiEnv.SetAction((parse, ct) => RunCiEnvAsync(parse, stdout, ct));
        VerifyLog.SetAction(parse => RunVerifyLog(parse, stdout));
        Serve.SetAction((parse, ct) => RunServeAsync(parse, stderr, ct));
    }

    private int RunInit(ParseResult parse, TextWriter stdout)
    {
        string directory = Directory(parse, _dir);
        LocalInstance.Initialize(directory, parse.GetValue(_force), new LocalInstanceOptions { Port = parse.GetValue(_initPort) });
        using LocalInstance instance = LocalInstance.Open(directory, _openOptions);
        stdout.WriteLine($"Initialised the local Sigstore instance in {instance.Directory}");
        stdout.WriteLine($"  identity:       {instance.Identity}");
        stdout.WriteLine($"  OIDC issuer:    {instance.Issuer}");
        stdout.WriteLine($"  trusted root:   {instance.TrustedRootPath}");
        stdout.WriteLine($"  signing config: {instance.SigningConfigPath} ('signcli instance serve' on {instance.ServeUrl})");
        return ExitCodes.Success;
    }

    private int RunToken(ParseResult parse, TextWriter stdout)
    {
        using LocalInstance instance = LocalInstance.Open(Directory(parse, _tokenDir), _openOptions);
        stdout.WriteLine(instance.MintIdentityToken().RawToken);
        return ExitCodes.Success;
    }

    private async Task<int> RunCiEnvAsync(ParseResult parse, TextWriter stdout, CancellationToken cancellationToken)
    {
        SupplyChain.Instance.Oidc.SimulatedCiSystem system = parse.GetRequiredValue(_ciSystem) == "github-actions"
            ? SupplyChain.Instance.Oidc.SimulatedCiSystem.GitHubActions
            : SupplyChain.Instance.Oidc.SimulatedCiSystem.GitLabCi;
        Uri url = parse.GetValue(_ciUrl) is { } u
            ? (Uri.TryCreate(u, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "http" or "https" ? parsed : throw CliErrors.Usage.ToException($"--url '{u}' is not an absolute http(s) URL"))
            : LocalInstance.ReadServeUrl(Directory(parse, _ciDir));
        foreach ((string name, string value) in await SimulatedCiEnvironment.VariablesAsync(system, SimulatedCiEnvironment.ReadClaims(parse.GetRequiredValue(_ciClaims)), url, cancellationToken).ConfigureAwait(false))
        {
            stdout.WriteLine($"export {name}={SimulatedCiEnvironment.Quote(value)}");
        }

        return ExitCodes.Success;
    }

    private int RunVerifyLog(ParseResult parse, TextWriter stdout)
    {
        LogVerificationReport report = LocalInstance.VerifyLog(Directory(parse, _verifyDir));
        stdout.WriteLine($"Log verified: {report.EntriesChecked} entries, {report.TilesChecked} tiles, checkpoint {report.Checkpoint.Origin} size {report.Checkpoint.Size} root {Convert.ToBase64String(report.Checkpoint.RootHash.Span)}");
        return ExitCodes.Success;
    }

    /// <summary>Serves until the command is cancelled (Ctrl-C, SIGTERM): stopping is how serve ends, so it exits 0.</summary>
    private async Task<int> RunServeAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        using LocalInstance instance = LocalInstance.Open(Directory(parse, _serveDir), _openOptions);
        LocalInstanceServer server = await instance.ServeAsync(parse.GetValue(_servePort), cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            stderr.WriteLine($"Serving the local Sigstore instance {instance.Directory} on {server.Url} (Ctrl+C to stop)");
            stderr.WriteLine($"  Fulcio {server.Url}api/v2/signingCert, Rekor v2 {server.Url}api/v2/log/entries, TSA {server.Url}api/v1/timestamp, OIDC {server.Url}.well-known/openid-configuration");
            await server.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private string Directory(ParseResult parse, Option<string> option) => parse.GetValue(option) ?? LocalInstance.DefaultDirectoryFor(_environment.GetEnvironmentVariable);

    private static Argument<string> CiSystemArgument()
    {
        var argument = new Argument<string>("ci") { Description = "github-actions or gitlab-ci.", HelpName = "github-actions|gitlab-ci" };
        argument.AcceptOnlyFromAmong("github-actions", "gitlab-ci");
        return argument;
    }

    private static Option<string> Dir() => new("--dir") { Description = "The instance directory (default: $XDG_DATA_HOME/supplychain/instance, else ~/.local/share/supplychain/instance).", HelpName = "DIR" };

    private static Option<int?> Port(string description) => new("--port") { Description = description, HelpName = "PORT" };
}
