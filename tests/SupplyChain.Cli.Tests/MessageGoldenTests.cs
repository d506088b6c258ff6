using System.Security.Cryptography;
using SupplyChain.Testing;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// Issue 14: the exact text of the messages a user meets first, each one line that names what is wrong and what to do,
/// in our words (no System.Text.Json or System.CommandLine text where we can do better).
/// </summary>
public sealed class MessageGoldenTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-cli-messages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertUsage(string expected, params string[] args)
    {
        CliRun run = CliRunner.Run(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected + Environment.NewLine, run.Stderr);
    }

    // ---------- usage errors: the token at fault, and suggestions ----------

    [Fact]
    public void An_unknown_option_before_the_artifact_is_named_not_the_artifact() =>
        AssertUsage("SC6001: usage error: unknown option '--bogus' for 'signcli verify-blob' (see 'signcli verify-blob --help')", "verify-blob", "--bogus", "README.md");

    [Fact]
    public void An_option_of_another_command_is_named_with_the_commands_that_have_it() =>
        AssertUsage("SC6001: usage error: unknown option '--bundle' for 'signcli tree' (--bundle belongs to verify-blob, verify-blob-attestation, sign-blob, attest-blob) (see 'signcli tree --help')", "tree", "--bundle", "b.json", "foo");

    [Fact]
    public void A_misspelled_option_gets_a_suggestion() =>
        AssertUsage("SC6001: usage error: unknown option '--bundel' for 'signcli verify-blob' (did you mean '--bundle'?) (see 'signcli verify-blob --help')", "verify-blob", "a.txt", "--bundel", "b.json");

    [Fact]
    public void A_misspelled_command_gets_a_suggestion() =>
        AssertUsage("SC6001: usage error: unknown command 'verfy-blob' (did you mean 'verify-blob'?) (see 'signcli --help')", "verfy-blob");

    [Fact]
    public void A_misspelled_subcommand_gets_a_suggestion_under_its_parent() =>
        AssertUsage("SC6001: usage error: unknown command 'ini' for 'signcli instance' (did you mean 'init'?) (see 'signcli instance --help')", "instance", "ini");

    [Fact]
    public void A_word_far_from_every_command_gets_no_suggestion() =>
        AssertUsage("SC6001: usage error: unknown command 'frobnicate' (see 'signcli --help')", "frobnicate");

    [Fact]
    public void After_double_dash_a_dash_word_is_an_argument_not_an_unknown_option()
    {
        CliRun run = CliRunner.Run("verify-blob", "--bundle", "b.json", "--certificate-identity", "i", "--certificate-oidc-issuer", "o", "--", "-artifact-");
        Assert.DoesNotContain("unknown option", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("SC6002", run.Code);
    }

    [Fact]
    public void Lineage_help_describes_its_own_output()
    {
        CliRun run = CliRunner.Run("lineage", "--help");
        Assert.Equal(0, run.ExitCode);
        string line = run.Stdout.Split('\n').Single(l => l.Contains("--output", StringComparison.Ordinal));
        Assert.Contains("Tree format on stdout: 'text' (one indented entry per level, then how the walk ended) or 'json' (the lineage tree as JSON).", line, StringComparison.Ordinal);
        Assert.DoesNotContain("verification result", run.Stdout, StringComparison.Ordinal);
    }

    // ---------- verification messages ----------

    [Fact]
    public void A_truncated_bundle_gives_one_position_in_our_words()
    {
        byte[] bundle = File.ReadAllBytes(CliRunner.QuickstartBundle);
        Assert.DoesNotContain((byte)'\n', bundle.AsSpan(0, 2000).ToArray());
        string truncated = Write("truncated.json", bundle[..2000]);
        CliRun run = CliRunner.Run("verify-blob", CliRunner.QuickstartArtifact, "--bundle", truncated, "--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("SC1002: the bundle is not well-formed JSON: invalid JSON: the document ends at line 1, column 2001 before the value is complete (is the file truncated?)" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public void A_stray_character_is_reported_at_its_line_and_column()
    {
        string broken = Write("broken.json", "{\n  \"mediaType\": \"x\",\n  ]\n}"u8.ToArray());
        CliRun run = CliRunner.Run("verify-blob", CliRunner.QuickstartArtifact, "--bundle", broken, "--certificate-identity", "i", "--certificate-oidc-issuer", "o");
        Assert.Equal("SC1002: the bundle is not well-formed JSON: invalid JSON at line 3, column 3: unexpected character ']'" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public void A_changed_artifact_is_reported_as_not_what_was_signed()
    {
        byte[] original = File.ReadAllBytes(CliRunner.QuickstartArtifact);
        string changed = Write("a.txt", [.. original, (byte)'\n']);
        CliRun run = CliRunner.Run("verify-blob", changed, "--bundle", CliRunner.QuickstartBundle, "--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"SC1502: the artifact does not match what was signed: its sha256 digest is {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(changed)))}, the bundle signed {Convert.ToHexStringLower(SHA256.HashData(original))}" + Environment.NewLine,
            run.Stderr);
    }

    [Fact]
    public void A_timestamp_over_other_data_is_set_aside_and_the_bundle_verifies_on_the_valid_one()
    {
        // sigstore-python's test bundle (testdata/interop): its second RFC 3161 timestamp is over other data.
        string dir = Path.Combine(TestPaths.TestData, "interop", "python-tsa-timestamp-over-other-data");
        CliRun run = CliRunner.Run(
            "verify-blob", "sha256:802dd60ff88333802f2585e73043bd21c341285e1992fe5b31755e1cadeae30e", "--bundle", Path.Combine(dir, "bundle.sigstore.json"),
            "--trusted-root", Path.Combine(dir, "trusted_root.json"), "--certificate-identity", "alexis.challande@trailofbits.com", "--certificate-oidc-issuer", "https://accounts.google.com");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("verified time: 2024-10-31T10:23:39Z (rfc3161, Test TSA Timestamping)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Rekor_v2_bundle_whose_entry_names_another_key_says_so()
    {
        using var sigstore = VirtualSigstore.Create();
        using ECDsa other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] artifact = "golden"u8.ToArray();
        string bundle = Write("bundle.json", sigstore.SignMessage(artifact, new SigningOptions { Log = LogFlavour.RekorV2, Timestamp = true, LogVerifierPublicKey = other.ExportSubjectPublicKeyInfo() }));
        string root = Write("trusted_root.json", sigstore.TrustedRootBytes);
        CliRun run = CliRunner.Run("verify-blob", Write("artifact", artifact), "--bundle", bundle, "--trusted-root", root, "--certificate-identity", SigningOptions.DefaultIdentity, "--certificate-oidc-issuer", SigningOptions.DefaultIssuer);
        Assert.Equal("SC1204: the log entry body does not match the bundle: the entry's public key is not the key of the bundle's certificate" + Environment.NewLine, run.Stderr);
    }
}
