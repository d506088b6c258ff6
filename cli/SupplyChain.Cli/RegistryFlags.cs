using System.CommandLine;
using SupplyChain.Oci.Layout;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Cli;

/// <summary>
/// The registry flags of the image commands: plain HTTP for non-loopback registries only with <c>--allow-insecure-registry</c>;
/// credentials from <c>--registry-username/--registry-password</c>, else REGISTRY_USERNAME/REGISTRY_PASSWORD, bound to the
/// registries of the images named on the command line (never to a host a base-image claim, a referrer or a redirect
/// leads to); then per-registry credentials from <c>--authfile</c> (or REGISTRY_AUTH_FILE), then Docker's config.json.
/// docs/cli.md, "Registry credentials". Every image command also reads and writes OCI image layouts on disk
/// (<c>oci:PATH[:TAG][@DIGEST]</c>): <see cref="Create"/> returns a router that sends layout references to an
/// <see cref="OciLayoutRegistry"/> (docs/cli.md, "OCI image layouts").
/// </summary>
internal sealed class RegistryFlags
{
    /// <summary>The environment variable naming the auth file when <c>--authfile</c> is not given (as podman and skopeo).</summary>
    public const string AuthFileVariable = "REGISTRY_AUTH_FILE";

    private readonly Option<bool> _insecure = new("--allow-insecure-registry") { Description = "Allow plain HTTP (and no TLS verification) to a registry that is not on loopback." };
    private readonly Option<string> _username = new("--registry-username") { Description = "Registry username for the registry of the IMAGE argument only (default: REGISTRY_USERNAME, else --authfile, else Docker's config.json).", HelpName = "USER" };
    private readonly Option<string> _password = new("--registry-password") { Description = "Registry password (default: REGISTRY_PASSWORD). Prefer the environment: arguments are visible to other processes.", HelpName = "PASSWORD" };
    private readonly Option<string> _authFile = new("--authfile") { Description = "Per-registry credentials in Docker config.json format (auths, credHelpers), before Docker's own config (default: REGISTRY_AUTH_FILE).", HelpName = "FILE" };
    private readonly Func<OciRegistryClientOptions, IOciRegistry> _factory;

    /// <summary>Creates the flags.</summary>
    /// <param name="factory">Builds the registry client from its options (tests substitute one); a real <see cref="OciRegistryClient"/> when null.</param>
    public RegistryFlags(Func<OciRegistryClientOptions, IOciRegistry>? factory) => _factory = factory ?? (options => new OciRegistryClient(options));

    /// <summary>Adds the flags to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_insecure);
        command.Options.Add(_username);
        command.Options.Add(_password);
        command.Options.Add(_authFile);
    }

    /// <summary>
    /// The registry client for the flags and the environment of <paramref name="terminal"/>. Flag and environment
    /// credentials go to the registries of <paramref name="named"/> only (the images on the command line); with none
    /// (<c>admission review</c>), the flags are <c>SC6010</c> and the environment variables are ignored (with a warning
    /// on <paramref name="stderr"/>).
    /// </summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="terminal">The environment.</param>
    /// <param name="named">The images on the command line (layouts among them carry no credentials).</param>
    /// <param name="stderr">Where warnings go.</param>
    /// <param name="layoutRoots">Where layouts may be read, or <c>null</c> for anywhere (<c>admission review</c> passes its roots).</param>
    /// <param name="maxBlobBytes">The largest blob read, or <c>null</c> for the clients' default (64 MiB); <c>copy</c> carries layers up to 1 GiB.</param>
    public IOciRegistry Create(ParseResult parse, IPasswordSource terminal, IReadOnlyCollection<ImageReference> named, TextWriter? stderr = null, IReadOnlyList<string>? layoutRoots = null, long? maxBlobBytes = null)
    {
        string? username = parse.GetValue(_username);
        string? password = parse.GetValue(_password);
        if ((username is null) != (password is null))
        {
            throw CliErrors.Usage.ToException("--registry-username and --registry-password go together");
        }

        string[] registries = named.Where(image => !image.IsLayout).Select(image => image.Registry).Distinct(StringComparer.Ordinal).ToArray();
        StaticCredentialSource? fromFlags = null;
        StaticCredentialSource? fromEnvironment = null;
        if (registries.Length > 0)
        {
            fromFlags = username is null ? null : new StaticCredentialSource(RegistryCredential.FromPassword(username, password!), registries);
            fromEnvironment = StaticCredentialSource.FromEnvironment(terminal.GetEnvironmentVariable, registries);
        }
        else if (username is not null && named.Count > 0)
        {
            throw CliErrors.CredentialsUnbound.ToException("--registry-username/--registry-password apply to the registry of an IMAGE argument, and every IMAGE here is an oci: layout");
        }
        else if (username is not null)
        {
            throw CliErrors.CredentialsUnbound.ToException("--registry-username/--registry-password apply to the registry of an IMAGE argument, and this command has none: name each registry's credentials in --authfile");
        }
        else if (!string.IsNullOrEmpty(terminal.GetEnvironmentVariable(StaticCredentialSource.UsernameVariable)))
        {
            stderr?.WriteLine($"WARNING: {StaticCredentialSource.UsernameVariable}/{StaticCredentialSource.PasswordVariable} are ignored: this command names no IMAGE to bind them to (use --authfile).");
        }

        IRegistryCredentialSource credentials = new ChainedCredentialSource(
            fromFlags,
            fromEnvironment,
            AuthFile(parse, terminal),
            DockerConfigCredentialSource.FromEnvironment(terminal.GetEnvironmentVariable));
        var clientOptions = new OciRegistryClientOptions { AllowInsecureRegistries = parse.GetValue(_insecure), Credentials = credentials };
        var layoutOptions = new OciLayoutRegistryOptions { AllowedRoots = layoutRoots };
        if (maxBlobBytes is { } max)
        {
            clientOptions = clientOptions with { MaxBlobBytes = max };
            layoutOptions = layoutOptions with { MaxBlobBytes = max };
        }

        return new OciRegistryRouter(_factory(clientOptions), new OciLayoutRegistry(layoutOptions));
    }

    /// <summary>Parses the image argument: <c>oci:PATH[:TAG][@DIGEST]</c> is a layout (a relative path from the current directory), anything else a registry reference (SC4001 when malformed).</summary>
    public static ImageReference Image(string text) => ImageReference.IsLayoutSyntax(text) ? ImageReference.ParseLayout(text) : ImageReference.Parse(text);

    /// <summary>Disposes <paramref name="registry"/> when it owns resources.</summary>
    public static void Release(IOciRegistry registry) => (registry as IDisposable)?.Dispose();

    /// <summary><c>--authfile</c>, else REGISTRY_AUTH_FILE: a file that must exist (SC6002), read as a Docker config.json.</summary>
    private DockerConfigCredentialSource? AuthFile(ParseResult parse, IPasswordSource terminal)
    {
        (string? path, string role) = parse.GetValue(_authFile) is { } flag ? (flag, "--authfile")
            : terminal.GetEnvironmentVariable(AuthFileVariable) is { Length: > 0 } variable ? (variable, AuthFileVariable)
            : (null, string.Empty);
        if (path is null)
        {
            return null;
        }

        return File.Exists(path)
            ? new DockerConfigCredentialSource(path, terminal.GetEnvironmentVariable("PATH"))
            : throw CliErrors.FileUnreadable.ToException($"{role} '{path}' does not exist");
    }
}
