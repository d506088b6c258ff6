using System.Text;
using SupplyChain.Core.Keys;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Cli.Tests;

public sealed class GenerateKeyPairCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scgkp").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static CliRun Run(FakePasswords passwords, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, passwords));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private string Prefix => Path.Combine(_dir, "mykey");

    [Fact]
    public void Writes_an_encrypted_key_with_0600_and_a_public_key_from_COSIGN_PASSWORD()
    {
        CliRun run = Run(FakePasswords.Env("s3cret"), "generate-key-pair", "--output-prefix", Prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        string key = File.ReadAllText(Prefix + ".key");
        string pub = File.ReadAllText(Prefix + ".pub");
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----", key, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pub, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Prefix + ".key"));
        }

        // Nothing secret on the console.
        Assert.DoesNotContain("PRIVATE KEY", run.Stdout + run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", run.Stdout + run.Stderr, StringComparison.Ordinal);

        // generate -> import -> sign -> verify with the written public key.
        using KeyFileSigner signer = KeyFileSigner.FromPem(key, Encoding.UTF8.GetBytes("s3cret"));
        using PublicKeyVerifier verifier = PublicKeyVerifier.FromPem(pub);
        Assert.Equal(KeyAlgorithm.Ecdsa, signer.Algorithm);
        Assert.Equal(256, signer.KeySizeBits);
        Assert.True(verifier.VerifyData("artifact"u8, signer.SignData("artifact"u8)));

        // The wrong password does not open it.
        var ex = Assert.ThrowsAny<SupplyChain.Core.Errors.SupplyChainException>(() => KeyFileSigner.FromPem(key, Encoding.UTF8.GetBytes("wrong")));
        Assert.Equal("SC2004", ex.Error.Code);
    }

    [Fact]
    public void Empty_COSIGN_PASSWORD_is_a_password()
    {
        CliRun run = Run(FakePasswords.Env(string.Empty), "generate-key-pair", "--output-prefix", Prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        using KeyFileSigner signer = KeyFileSigner.FromPem(File.ReadAllText(Prefix + ".key"), []);
        Assert.Equal(KeyAlgorithm.Ecdsa, signer.Algorithm);
    }

    [Fact]
    public void Help_names_the_default_prefix()
    {
        CliRun run = Run(FakePasswords.Env("x"), "generate-key-pair", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--output-prefix", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("cosign", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_to_overwrite_without_force_SC2009()
    {
        File.WriteAllText(Prefix + ".pub", "keep me");
        CliRun run = Run(FakePasswords.Env("x"), "generate-key-pair", "--output-prefix", Prefix);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2009");
        Assert.Equal("keep me", File.ReadAllText(Prefix + ".pub"));
        Assert.False(File.Exists(Prefix + ".key"));
    }

    [Fact]
    public void Force_overwrites_and_resets_the_mode()
    {
        File.WriteAllText(Prefix + ".key", "old");
        File.WriteAllText(Prefix + ".pub", "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Prefix + ".key", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        }

        CliRun run = Run(FakePasswords.Env("x"), "generate-key-pair", "--output-prefix", Prefix, "--force");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----", File.ReadAllText(Prefix + ".key"), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Prefix + ".key"));
        }
    }

    [Fact]
    public void Non_interactive_without_COSIGN_PASSWORD_is_SC2007()
    {
        CliRun run = Run(new FakePasswords(null, interactive: false), "generate-key-pair", "--output-prefix", Prefix);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2007");
        Assert.False(File.Exists(Prefix + ".key"));
        Assert.False(File.Exists(Prefix + ".pub"));
    }

    [Fact]
    public void Prompts_twice_on_a_terminal()
    {
        var passwords = new FakePasswords(null, interactive: true, "typed", "typed");
        CliRun run = Run(passwords, "generate-key-pair", "--output-prefix", Prefix);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(2, passwords.Prompts);
        using KeyFileSigner signer = KeyFileSigner.FromPem(File.ReadAllText(Prefix + ".key"), "typed"u8.ToArray());
        Assert.Equal(KeyAlgorithm.Ecdsa, signer.Algorithm);
    }

    [Fact]
    public void Different_passwords_at_the_prompt_are_SC2008()
    {
        CliRun run = Run(new FakePasswords(null, interactive: true, "one", "two"), "generate-key-pair", "--output-prefix", Prefix);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2008");
        Assert.False(File.Exists(Prefix + ".key"));
    }

    [Fact]
    public void Unwritable_directory_is_SC2009()
    {
        CliRun run = Run(FakePasswords.Env("x"), "generate-key-pair", "--output-prefix", Path.Combine(_dir, "missing", "dir", "k"));
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2009");
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        CliRun run = Run(FakePasswords.Env("x"), "generate-key-pair", "--kms", "awskms://x");
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6001");
    }

    private sealed class FakePasswords(string? environment, bool interactive, params string[] typed) : IPasswordSource
    {
        private int _next;

        public int Prompts => _next;

        public bool IsInteractive => interactive;

        public static FakePasswords Env(string value) => new(value, interactive: false);

        public string? GetEnvironmentVariable(string name) => name == GenerateKeyPairCommand.PasswordVariable ? environment : null;

        public string ReadHidden(string prompt, TextWriter promptWriter) => typed[_next++];
    }
}
