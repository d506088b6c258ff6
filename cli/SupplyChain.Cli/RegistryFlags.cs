using System.CommandLine;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Cli;

/// <summary>
/// The registry flags of the image commands: plain HTTP for non-loopback registries only with <c>--allow-insecure-registry</c>,
/// credentials from <c>--registry-username/--registry-password</c>, else REGISTRY_USERNAME/REGISTRY_PASSWORD, else Docker's config.json.
/// </summary>
internal sealed class RegistryFlags
{
    private readonly Option<bool> _insecure = new("--allow-insecure-registry") { Description = "Allow plain HTTP (and no TLS verification) to a registry that is not on loopback." };
    private readonly Option<string> _username = new("--registry-username") { Description = "Registry username (default: REGISTRY_USERNAME, else Docker's config.json).", HelpName = "USER" };
    private readonly Option<string> _password = new("--registry-password") { Description = "Registry password (default: REGISTRY_PASSWORD). Prefer the environment: arguments are visible to other processes.", HelpName = "PASSWORD" };
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
    }

    /// <summary>The registry client for the flags and the environment of <paramref name="terminal"/>.</summary>
    public IOciRegistry Create(ParseResult parse, IPasswordSource terminal)
    {
        string? username = parse.GetValue(_username);
        string? password = parse.GetValue(_password);
        if ((username is null) != (password is null))
        {
            throw CliErrors.Usage.ToException("--registry-username and --registry-password go together");
        }

        IRegistryCredentialSource credentials = new ChainedCredentialSource(
            username is null ? null : new StaticCredentialSource(RegistryCredential.FromPassword(username, password!)),
            StaticCredentialSource.FromEnvironment(terminal.GetEnvironmentVariable),
            DockerConfigCredentialSource.FromEnvironment(terminal.GetEnvironmentVariable));
        return _factory(new OciRegistryClientOptions { AllowInsecureRegistries = parse.GetValue(_insecure), Credentials = credentials });
    }

    /// <summary>Parses the image argument (SC4001 when malformed).</summary>
    public static ImageReference Image(string text) => ImageReference.Parse(text);

    /// <summary>Disposes <paramref name="registry"/> when it owns resources.</summary>
    public static void Release(IOciRegistry registry) => (registry as IDisposable)?.Dispose();
}
