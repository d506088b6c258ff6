using System.CommandLine;
using Microsoft.Extensions.Logging;
using SupplyChain.Instance;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli sign-blob FILE --bundle OUT</c>: signing like <c>cosign sign-blob --bundle</c>, keyless (Fulcio + Rekor
/// [+ TSA]) or with <c>--key</c> (a key-signed bundle with <c>publicKey.hint</c>). The bundle is verified against the
/// trusted root before it is written, and it is written atomically (a temporary file renamed over OUT), so a failure
/// never leaves a partial bundle. docs/cli.md, "sign-blob".
/// </summary>
internal sealed class SignBlobCommand
{
    private readonly Argument<string> _artifact = new("artifact") { Description = "The file to sign (hashed as a stream).", HelpName = "FILE" };
    private readonly SigningFlags _flags;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates the command and its options.</summary>
    /// <param name="terminal">The environment, the terminal check and password prompts.</param>
    /// <param name="httpHandler">The handler for the signing services (tests); the default HTTP stack when null.</param>
    /// <param name="loggers">Where the signing clients log (stderr).</param>
    public SignBlobCommand(IPasswordSource terminal, HttpMessageHandler? httpHandler = null, ILoggerFactory? loggers = null)
    {
        _terminal = terminal;
        _flags = new SigningFlags(httpHandler, loggers: loggers);
        Command = new Command("sign-blob", "Sign a file (keyless with an OIDC identity, or with --key) and write a Sigstore bundle.") { _artifact };
        _flags.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        string artifactPath = parse.GetRequiredValue(_artifact);
        string outPath = _flags.BundlePath(parse);
        _flags.Validate(parse);
        CliFiles.RequireFile(artifactPath, "artifact");

        using LocalInstance? instance = _flags.OpenInstance(parse, _terminal, stderr);
        using KeyFileSigner? key = _flags.LoadKey(parse, _terminal, stderr);
        IdentityToken? token = key is null ? await _flags.GetTokenAsync(parse, _terminal, stderr, instance, cancellationToken).ConfigureAwait(false) : null;
        using BundleSigner signer = instance is null ? _flags.CreateSigner(parse) : _flags.CreateSigner(instance);

        byte[] bundle;
        var file = new FileStream(artifactPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using (Stream artifact = HashingProgressStream.Wrap(file, stderr, _terminal.IsInteractive && !Console.IsErrorRedirected))
        {
            bundle = (key is null
                ? await signer.SignMessageAsync(artifact, token!, cancellationToken).ConfigureAwait(false)
                : await signer.SignMessageAsync(artifact, key, null, cancellationToken).ConfigureAwait(false)).ToJson();
        }

        cancellationToken.ThrowIfCancellationRequested();

        SigningFlags.WriteAtomically(outPath, bundle);
        stderr.WriteLine(token is null
            ? $"Wrote bundle to {outPath} (signed with the key in --key; verified against the trusted root)"
            : $"Wrote bundle to {outPath} (signed as {token.Subject}, issuer {token.Issuer}; verified against the trusted root)");
        if (instance is not null && token is not null)
        {
            stderr.WriteLine(InstanceOption.VerifyHint(_flags.InstanceValue(parse)!, artifactPath, outPath, token.Subject, token.Issuer));
        }

        return ExitCodes.Success;
    }
}
