using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;
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
    /// <param name="cancellationToken">Cancelled by Ctrl-C or SIGTERM: the command stops and exits 130.</param>
    /// <returns>The process exit code (docs/cli.md).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        RunWithAsync(args, stdout, stderr, ConsolePasswordSource.Instance, cancellationToken: cancellationToken);

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
    /// <param name="cancellationToken">Cancels the command (exit 130, SC8120).</param>
    internal static Task<int> RunWithAsync(string[] args, TextWriter stdout, TextWriter stderr, IPasswordSource passwords, HttpMessageHandler? httpHandler = null, Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry>? registryFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);

        // Known before parsing, so that even a failure inside the parser honours it.
        bool debug = args.Contains(CommonOptions.DebugName, StringComparer.Ordinal);

        // The libraries' log events go to stderr: warnings, and with --debug everything down to each HTTP answer.
        var loggers = StderrLoggerFactory.For(stderr, debug);
        return GuardedAsync(() => DispatchAsync(args, stdout, stderr, debug, passwords, httpHandler, registryFactory, loggers, cancellationToken), stderr, debug, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="body"/>, mapping a <see cref="SupplyChainException"/> to its code and category exit
    /// code, and any other exception to SC6099 and exit 70 (the stack trace only with <paramref name="debug"/>). Once
    /// <paramref name="cancellationToken"/> is cancelled, a body that throws is reported as SC8120 and exit 130: the
    /// failure that follows a cancellation (an <see cref="OperationCanceledException"/>, or a timeout a library reports
    /// with its own code) is the cancellation's. A body that returns keeps its exit code (<c>instance serve</c> stops on
    /// Ctrl-C and exits 0; a command that finished its output before the signal arrived succeeded).
    /// </summary>
    internal static async Task<int> GuardedAsync(Func<Task<int>> body, TextWriter stderr, bool debug, CancellationToken cancellationToken = default)
    {
#pragma warning disable CA1031 // The CLI's last line of defence: every other exception is a bug, reported as SC6099.
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            return Cancelled(stderr);
        }
        catch (SupplyChainException ex)
        {
            return Fail(ex, stderr, debug);
        }
        catch (Exception ex)
        {
            stderr.WriteLine(debug
                ? $"{CliErrors.Internal.Code}: {CliErrors.Internal.Summary}: {ex}"
                : $"{CliErrors.Internal.Code}: {CliErrors.Internal.Summary}: {ex.GetType().Name}: {OneLine(ex.Message)} (run with --debug for the stack trace; please report this bug)");
            return ExitCodes.InternalError;
        }
#pragma warning restore CA1031
    }

    /// <summary>The one line of a cancelled command (SC8120) and its exit code, 130 (128 + SIGINT, as shells report it).</summary>
    private static int Cancelled(TextWriter stderr)
    {
        stderr.WriteLine($"{CliErrors.Cancelled.Code}: {CliErrors.Cancelled.Summary} (Ctrl-C or SIGTERM)");
        return ExitCodes.Cancelled;
    }

    private static async Task<int> DispatchAsync(string[] args, TextWriter stdout, TextWriter stderr, bool debug, IPasswordSource passwords, HttpMessageHandler? httpHandler, Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry>? registryFactory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        // Every registry client of the image commands logs through the run's logger factory (a test's factory included).
        Func<Oci.Registry.OciRegistryClientOptions, Oci.Registry.IOciRegistry> createRegistry = registryFactory ?? (options => new Oci.Registry.OciRegistryClient(options));
        Oci.Registry.IOciRegistry Registries(Oci.Registry.OciRegistryClientOptions options) => createRegistry(options with { LoggerFactory = options.LoggerFactory ?? loggers });

        // Each command's action is its RunAsync over this run's writers; System.CommandLine picks the action of the
        // command the arguments name, and passes it the token.
        var root = new RootCommand("signcli: sign and verify artifacts with Sigstore (cosign-compatible flags).");
        root.Options.Add(CommonOptions.Debug());
        void Add(Command command, Func<ParseResult, CancellationToken, Task<int>> run, Command? runner = null)
        {
            (runner ?? command).SetAction(run);
            root.Subcommands.Add(command);
        }

        foreach (bool attestation in new[] { false, true })
        {
            var verifyBlob = new VerifyBlobCommand(passwords, attestation, loggers);
            Add(verifyBlob.Command, (parse, ct) => verifyBlob.RunAsync(parse, stdout, stderr, ct));
        }

        var signBlob = new SignBlobCommand(passwords, httpHandler, loggers);
        Add(signBlob.Command, (parse, ct) => signBlob.RunAsync(parse, stderr, ct));
        var attestBlob = new AttestBlobCommand(passwords, httpHandler, loggers);
        Add(attestBlob.Command, (parse, ct) => attestBlob.RunAsync(parse, stderr, ct));
        var trustedRoot = new TrustedRootCommand(loggers);
        trustedRoot.Update.SetAction((parse, ct) => trustedRoot.RunAsync(parse, stdout, stderr, ct));
        trustedRoot.Show.SetAction((parse, ct) => trustedRoot.RunAsync(parse, stdout, stderr, ct));
        root.Subcommands.Add(trustedRoot.Command);
        var generateKeyPair = new GenerateKeyPairCommand(passwords);
        Add(generateKeyPair.Command, (parse, _) => Task.FromResult(generateKeyPair.Run(parse, stderr, cancellationToken)));
        var instance = new InstanceCommand(passwords, loggers);
        instance.SetActions(stdout, stderr);
        root.Subcommands.Add(instance.Command);
        foreach (bool attest in new[] { false, true })
        {
            var sign = new SignImageCommand(attest, passwords, httpHandler, Registries, loggers);
            Add(sign.Command, (parse, ct) => sign.RunAsync(parse, stderr, ct));
        }

        foreach (bool attestation in new[] { false, true })
        {
            var verify = new VerifyImageCommand(attestation, passwords, Registries);
            Add(verify.Command, (parse, ct) => verify.RunAsync(parse, stdout, stderr, ct));
        }

        foreach (bool resolveOnly in new[] { false, true })
        {
            var tree = new TreeImageCommand(resolveOnly, passwords, Registries);
            Add(tree.Command, (parse, ct) => tree.RunAsync(parse, stdout, ct));
        }

        var lineage = new LineageCommand(passwords, Registries);
        Add(lineage.Command, (parse, ct) => lineage.RunAsync(parse, stdout, stderr, ct));
        var policyTest = new PolicyTestCommand(passwords, Registries);
        Add(policyTest.Command, (parse, ct) => policyTest.RunAsync(parse, stdout, stderr, ct), policyTest.Test);
        var admissionReview = new AdmissionReviewCommand(passwords, Registries);
        Add(admissionReview.Command, (parse, ct) => admissionReview.RunAsync(parse, stdout, stderr, ct), admissionReview.Review);
        var copy = new CopyCommand(passwords, Registries);
        Add(copy.Command, (parse, ct) => copy.RunAsync(parse, stdout, stderr, ct));

        ParseResult parse = root.Parse(args);

        // --help and --version (System.CommandLine's own actions) ignore parse errors; every other error is SC6001.
        if (parse.Errors.Count > 0 && parse.Action is not CommandLineAction { ClearsParseErrors: true })
        {
            return Fail(CliErrors.Usage.ToException($"{UsageErrors.Describe(parse, root)} (see '{HelpCommand(parse)}')"), stderr, debug);
        }

        if (parse.Action is null)
        {
            return Fail(CliErrors.Usage.ToException("no command given (see 'signcli --help')"), stderr, debug);
        }

        // Signals are the caller's (Program.Main): System.CommandLine neither handles them nor turns exceptions into output.
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
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
