using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using SupplyChain.Core.Errors;

namespace SupplyChain.Cli;

/// <summary>
/// The whole CLI behind a testable seam: arguments in, exit code out, all output through the given
/// writers. Parsing uses System.CommandLine; its parse errors are reported as SC6001 (exit 2), every
/// <see cref="SupplyChainException"/> as its own code and category exit code, and anything else as
/// SC6099 (exit 70) without a stack trace unless <c>--debug</c>.
/// </summary>
internal static class CliApp
{
    /// <summary>Runs signcli.</summary>
    /// <param name="args">The arguments, without the program name.</param>
    /// <param name="stdout">Standard output (results, help).</param>
    /// <param name="stderr">Standard error (errors, warnings, cosign-style status lines).</param>
    /// <returns>The process exit code (docs/cli.md).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => RunWith(args, stdout, stderr, ConsolePasswordSource.Instance);

    /// <summary>
    /// Runs signcli with the environment, terminal and passwords from <paramref name="passwords"/>, and (for tests)
    /// the signing services reached through <paramref name="httpHandler"/>.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="stdout">Standard output.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="passwords">The environment, terminal and passwords.</param>
    /// <param name="httpHandler">The signing services' transport (tests).</param>
    /// <param name="registryFactory">Builds the registry client of the image commands (tests); a real client when null.</param>
    internal static int RunWith(string[] args, TextWriter stdout, TextWriter stderr, IPasswordSource passwords, HttpMessageHandler? httpHandler = null, Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry>? registryFactory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // Known before parsing, so that even a failure inside the parser honours it.
        bool debug = args.Contains(CommonOptions.DebugName, StringComparer.Ordinal);
        return Guarded(() => Dispatch(args, stdout, stderr, debug, passwords, httpHandler, registryFactory), stderr, debug);
    }

    /// <summary>
    /// Runs <paramref name="body"/>, mapping a <see cref="SupplyChainException"/> to its code and category exit
    /// code, and any other exception to SC6099 and exit 70 (the stack trace only with <paramref name="debug"/>).
    /// </summary>
    internal static int Guarded(Func<int> body, TextWriter stderr, bool debug)
    {
        try
        {
            return body();
        }
        catch (SupplyChainException ex)
        {
            return Fail(ex, stderr, debug);
        }
#pragma warning disable CA1031 // The CLI's last line of defence: every other exception is a bug, reported as SC6099.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine(debug
                ? $"{CliErrors.Internal.Code}: {CliErrors.Internal.Summary}: {ex}"
                : $"{CliErrors.Internal.Code}: {CliErrors.Internal.Summary}: {ex.GetType().Name}: {OneLine(ex.Message)} (run with --debug for the stack trace; please report this bug)");
            return ExitCodes.InternalError;
        }
    }

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr, bool debug, IPasswordSource passwords, HttpMessageHandler? httpHandler, Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry>? registryFactory)
    {
        var root = new RootCommand("signcli: sign and verify artifacts with Sigstore (cosign-compatible flags).");
        root.Options.Add(CommonOptions.Debug());
        var verifyBlob = new VerifyBlobCommand(passwords);
        root.Subcommands.Add(verifyBlob.Command);
        var verifyBlobAttestation = new VerifyBlobCommand(passwords, attestation: true);
        root.Subcommands.Add(verifyBlobAttestation.Command);
        var signBlob = new SignBlobCommand(passwords, httpHandler);
        root.Subcommands.Add(signBlob.Command);
        var attestBlob = new AttestBlobCommand(passwords, httpHandler);
        root.Subcommands.Add(attestBlob.Command);
        var trustedRoot = new TrustedRootCommand();
        root.Subcommands.Add(trustedRoot.Command);
        var generateKeyPair = new GenerateKeyPairCommand(passwords);
        root.Subcommands.Add(generateKeyPair.Command);
        var instance = new InstanceCommand(passwords);
        root.Subcommands.Add(instance.Command);
        var signImage = new SignImageCommand(attest: false, passwords, httpHandler, registryFactory);
        var attestImage = new SignImageCommand(attest: true, passwords, httpHandler, registryFactory);
        var verifyImage = new VerifyImageCommand(attestation: false, passwords, registryFactory);
        var verifyAttestation = new VerifyImageCommand(attestation: true, passwords, registryFactory);
        var tree = new TreeImageCommand(resolveOnly: false, passwords, registryFactory);
        var resolve = new TreeImageCommand(resolveOnly: true, passwords, registryFactory);
        var lineage = new LineageCommand(passwords, registryFactory);
        var policyTest = new PolicyTestCommand(passwords, registryFactory);
        var admissionReview = new AdmissionReviewCommand(passwords, registryFactory);
        var copy = new CopyCommand(passwords, registryFactory);
        foreach (Command command in new[] { signImage.Command, attestImage.Command, verifyImage.Command, verifyAttestation.Command, tree.Command, resolve.Command, lineage.Command, policyTest.Command, admissionReview.Command, copy.Command })
        {
            root.Subcommands.Add(command);
        }

        ParseResult parse = root.Parse(args);

        // --help and --version run System.CommandLine's own actions (they ignore parse errors).
        if (parse.Action is CommandLineAction { ClearsParseErrors: true })
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }

        if (parse.Errors.Count > 0)
        {
            return Fail(CliErrors.Usage.ToException($"{UsageErrors.Describe(parse, root)} (see '{HelpCommand(parse)}')"), stderr, debug);
        }

        if (parse.CommandResult.Command == verifyBlob.Command || parse.CommandResult.Command == verifyBlobAttestation.Command)
        {
            return (parse.CommandResult.Command == verifyBlob.Command ? verifyBlob : verifyBlobAttestation).Run(parse, stdout, stderr);
        }

        if (parse.CommandResult.Command == signBlob.Command)
        {
            return signBlob.Run(parse, stderr);
        }

        if (parse.CommandResult.Command == attestBlob.Command)
        {
            return attestBlob.Run(parse, stderr);
        }

        if (parse.CommandResult.Command == trustedRoot.Update || parse.CommandResult.Command == trustedRoot.Show)
        {
            return trustedRoot.Run(parse, stdout, stderr);
        }

        if (parse.CommandResult.Command == generateKeyPair.Command)
        {
            return generateKeyPair.Run(parse, stdout, stderr);
        }

        if (instance.Owns(parse.CommandResult.Command))
        {
            return instance.Run(parse, stdout, stderr);
        }

        Command chosen = parse.CommandResult.Command;
        if (chosen == signImage.Command || chosen == attestImage.Command)
        {
            return (chosen == signImage.Command ? signImage : attestImage).Run(parse, stderr);
        }

        if (chosen == verifyImage.Command || chosen == verifyAttestation.Command)
        {
            return (chosen == verifyImage.Command ? verifyImage : verifyAttestation).Run(parse, stdout, stderr);
        }

        if (chosen == tree.Command || chosen == resolve.Command)
        {
            return (chosen == tree.Command ? tree : resolve).Run(parse, stdout);
        }

        if (chosen == lineage.Command)
        {
            return lineage.Run(parse, stdout, stderr);
        }

        if (chosen == policyTest.Test)
        {
            return policyTest.Run(parse, stdout, stderr);
        }

        if (chosen == copy.Command)
        {
            return copy.Run(parse, stdout, stderr);
        }

        if (chosen == admissionReview.Review)
        {
            return admissionReview.Run(parse, stdout, stderr);
        }

        return Fail(CliErrors.Usage.ToException("no command given (see 'signcli --help')"), stderr, debug);
    }

    /// <summary>Prints <paramref name="error"/> (its message starts with its code) and returns its category's exit code.</summary>
    internal static int Fail(SupplyChainException error, TextWriter stderr, bool debug)
    {
        stderr.WriteLine(error.Message);
        if (debug)
        {
            // What the remote service said (a registry's error body) is diagnostic output only: never in the message.
            if (error.RemoteDetail is { } remote)
            {
                stderr.WriteLine("remote detail: " + OneLine(remote));
            }

            stderr.WriteLine(error.ToString());
        }

        return ExitCodes.For(error.Error);
    }

    private static string HelpCommand(ParseResult parse) => $"{UsageErrors.CommandPath(parse.CommandResult)} --help";

    /// <summary>A message on one line, without its final period.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).TrimEnd('.');
}
