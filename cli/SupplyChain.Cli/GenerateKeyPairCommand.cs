using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Errors;
using SupplyChain.Signing;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli generate-key-pair [--output-prefix P] [--force]</c>: like <c>cosign generate-key-pair</c>, writes an
/// ECDSA P-256 key pair as <c>P.key</c> (cosign's <c>ENCRYPTED SIGSTORE PRIVATE KEY</c>, mode 0600) and <c>P.pub</c>
/// (<c>PUBLIC KEY</c>). The password comes from <c>COSIGN_PASSWORD</c> when set (empty allowed), else from two
/// prompts on the terminal. docs/cli.md, "generate-key-pair".
/// </summary>
internal sealed class GenerateKeyPairCommand
{
    /// <summary>The environment variable cosign reads the key password from.</summary>
    public const string PasswordVariable = "COSIGN_PASSWORD";

    private readonly Option<string> _prefix = new("--output-prefix", "--output-key-prefix")
    {
        Description = "Write PREFIX.key and PREFIX.pub (default: cosign).",
        HelpName = "PREFIX",
        DefaultValueFactory = _ => "cosign",
    };

    private readonly Option<bool> _force = new("--force", "-f") { Description = "Overwrite existing PREFIX.key and PREFIX.pub." };
    private readonly IPasswordSource _passwords;

    /// <summary>Creates the command.</summary>
    /// <param name="passwords">Where passwords come from (the process environment and console by default).</param>
    public GenerateKeyPairCommand(IPasswordSource passwords)
    {
        _passwords = passwords;
        Command = new Command("generate-key-pair", "Generate an ECDSA P-256 key pair: PREFIX.key (encrypted, cosign format, mode 0600) and PREFIX.pub.")
        {
            _prefix, _force,
        };
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors (no I/O to wait for; a cancellation before the key files are written writes neither).</summary>
    /// <returns>The exit code.</returns>
    public int Run(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        string prefix = parse.GetRequiredValue(_prefix);
        if (prefix.Length == 0)
        {
            throw CliErrors.Usage.ToException("--output-prefix is empty");
        }

        bool force = parse.GetValue(_force);
        string keyPath = prefix + ".key";
        string pubPath = prefix + ".pub";
        if (!force)
        {
            foreach (string path in new[] { keyPath, pubPath })
            {
                if (File.Exists(path))
                {
                    throw SigningErrors.KeyFileNotWritable.ToException($"'{path}' exists (pass --force to overwrite)");
                }
            }
        }

        byte[] password = ReadPassword(stderr);
        string encrypted;
        string publicPem;
        try
        {
            using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
            encrypted = key.ExportCosignEncryptedPem(password);
            publicPem = key.PublicKeyPem;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }

        cancellationToken.ThrowIfCancellationRequested();
        WritePrivate(keyPath, encrypted, force);
        WritePublic(pubPath, publicPem, force);
        stderr.WriteLine($"Private key written to {keyPath}");
        stderr.WriteLine($"Public key written to {pubPath}");
        return ExitCodes.Success;
    }

    private byte[] ReadPassword(TextWriter stderr)
    {
        // cosign: COSIGN_PASSWORD, when set, is the password, even when empty.
        string? fromEnvironment = _passwords.GetEnvironmentVariable(PasswordVariable);
        if (fromEnvironment is not null)
        {
            return Encoding.UTF8.GetBytes(fromEnvironment);
        }

        if (!_passwords.IsInteractive)
        {
            throw SigningErrors.KeyPasswordUnavailable.ToException($"{PasswordVariable} is not set and standard input is not a terminal");
        }

        string first = _passwords.ReadHidden("Enter password for private key: ", stderr);
        string second = _passwords.ReadHidden("Enter password for private key again: ", stderr);
        if (!string.Equals(first, second, StringComparison.Ordinal))
        {
            throw SigningErrors.KeyPasswordMismatch.ToException();
        }

        return Encoding.UTF8.GetBytes(first);
    }

    private static void WritePrivate(string path, string pem, bool force)
    {
        // Created with 0600 from the start (never world-readable, even briefly), as cosign writes cosign.key.
        var options = new FileStreamOptions
        {
            Mode = force ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        Write(path, pem, options);
        if (!OperatingSystem.IsWindows())
        {
            // UnixCreateMode applies to new files only; an overwritten file keeps its mode unless reset.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private static void WritePublic(string path, string pem, bool force) =>
        Write(path, pem, new FileStreamOptions { Mode = force ? FileMode.Create : FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None });

    private static void Write(string path, string text, FileStreamOptions options)
    {
        try
        {
            using var stream = new FileStream(path, options);
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            stream.Write(bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw SigningErrors.KeyFileNotWritable.ToException($"'{path}': {ex.Message}", ex);
        }
    }
}

/// <summary>Where <c>generate-key-pair</c> gets passwords: the environment, or a terminal prompt without echo.</summary>
internal interface IPasswordSource
{
    /// <summary>Whether a person can be prompted (standard input is a terminal).</summary>
    bool IsInteractive { get; }

    /// <summary>Reads an environment variable; null when unset (an empty value is a value).</summary>
    string? GetEnvironmentVariable(string name);

    /// <summary>Prompts on <paramref name="prompt"/> and reads a line without echoing it.</summary>
    string ReadHidden(string prompt, TextWriter promptWriter);
}

/// <summary>The process environment and console.</summary>
internal sealed class ConsolePasswordSource : IPasswordSource
{
    /// <summary>The single instance.</summary>
    public static readonly ConsolePasswordSource Instance = new();

    private ConsolePasswordSource()
    {
    }

    /// <inheritdoc />
    public bool IsInteractive => !Console.IsInputRedirected;

    /// <inheritdoc />
    public string? GetEnvironmentVariable(string name) => Environment.GetEnvironmentVariable(name);

    /// <inheritdoc />
    public string ReadHidden(string prompt, TextWriter promptWriter)
    {
        promptWriter.Write(prompt);
        promptWriter.Flush();
        var line = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (line.Length > 0)
                {
                    line.Length--;
                }

                continue;
            }

            if (key.Key == ConsoleKey.C && key.Modifiers.HasFlag(ConsoleModifiers.Control))
            {
                throw SigningErrors.KeyPasswordUnavailable.ToException("interrupted");
            }

            if (!char.IsControl(key.KeyChar))
            {
                line.Append(key.KeyChar);
            }
        }

        promptWriter.WriteLine();
        return line.ToString();
    }
}
