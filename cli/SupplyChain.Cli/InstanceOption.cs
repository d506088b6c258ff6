using System.CommandLine;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Trust;
using SupplyChain.Instance;

namespace SupplyChain.Cli;

/// <summary>
/// <c>--instance local|DIR</c> on sign-blob, attest-blob and verify-blob: use the embedded local Sigstore instance in
/// process (no server): <c>local</c> is the default instance directory (created on first signing, said on stderr),
/// anything else an instance directory. docs/instance.md.
/// </summary>
internal static class InstanceOption
{
    /// <summary>The value naming the default instance.</summary>
    public const string Local = "local";

    /// <summary>The option.</summary>
    public static Option<string> Create(string verb) => new("--instance")
    {
        Description = $"{verb} with the embedded local Sigstore instance, in process: 'local' (the default instance under $XDG_DATA_HOME/supplychain/instance) or an instance directory.",
        HelpName = "local|DIR",
    };

    /// <summary>The directory <paramref name="value"/> names.</summary>
    public static string Directory(string value, IPasswordSource environment) =>
        value == Local ? LocalInstance.DefaultDirectoryFor(environment.GetEnvironmentVariable) : value.Length > 0 ? value : throw CliErrors.Usage.ToException("--instance needs 'local' or a directory");

    /// <summary>Opens the instance for signing; the default one is initialised on first use.</summary>
    public static LocalInstance OpenForSigning(string value, IPasswordSource environment, TextWriter stderr, ILoggerFactory? loggers = null)
    {
        string directory = Directory(value, environment);
        if (value == Local && !LocalInstance.Exists(directory))
        {
            LocalInstance.Initialize(directory);
            stderr.WriteLine($"Initialised the local Sigstore instance in {directory} (first use of --instance local)");
        }

        return LocalInstance.Open(directory, new LocalInstanceOptions { LoggerFactory = loggers });
    }

    /// <summary>The instance's trusted root, for verification (the log is not opened).</summary>
    public static TrustedRoot TrustedRoot(string value, IPasswordSource environment) => LocalInstance.ReadTrustedRoot(Directory(value, environment));

    /// <summary>The verify command for a bundle signed by the local user, printed after signing.</summary>
    public static string VerifyHint(string instanceValue, string artifact, string bundle, string identity, string issuer) =>
        $"Verify with: signcli verify-blob --instance {Quote(instanceValue)} {Quote(artifact)} --bundle {Quote(bundle)} --certificate-identity {identity} --certificate-oidc-issuer {issuer}";

    private static string Quote(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '`') ? "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : value;
}
