namespace SupplyChain.Cli.Tests;

/// <summary>Unreadable and malformed inputs: each fails with its code and the category exit code.</summary>
public sealed class VerifyBlobInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("signcli-tests-").FullName;

    private static string Bundle => CliRunner.QuickstartBundle;

    private static string Artifact => CliRunner.QuickstartArtifact;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static CliRun Verify(string artifact, string bundle, params string[] extra) =>
        CliRunner.Run(["verify-blob", artifact, "--bundle", bundle, .. (extra.Length > 0 ? extra : ["--certificate-identity", CliRunner.BeaconIdentity, "--certificate-oidc-issuer", CliRunner.GitHubIssuer])]);

    [Fact]
    public void Missing_bundle_file_is_SC6002() => CliRunner.AssertFails(Verify(Artifact, Path.Combine(_dir, "nope.json")), 2, "SC6002");

    [Fact]
    public void Bundle_that_is_a_directory_is_SC6002() => CliRunner.AssertFails(Verify(Artifact, _dir), 2, "SC6002");

    [Fact]
    public void Missing_artifact_file_is_SC6002() => CliRunner.AssertFails(Verify(Path.Combine(_dir, "nope.txt"), Bundle), 2, "SC6002");

    [Fact]
    public void Missing_key_file_is_SC6002() => CliRunner.AssertFails(Verify(Artifact, Bundle, "--key", Path.Combine(_dir, "nope.pub")), 2, "SC6002");

    [Fact]
    public void Missing_trusted_root_file_is_SC6002() =>
        CliRunner.AssertFails(Verify(Artifact, Bundle, "--key", Write("k.pub", "x"), "--trusted-root", Path.Combine(_dir, "nope.json")), 2, "SC6002");

    [Fact]
    public void Oversized_key_file_is_SC6004() =>
        CliRunner.AssertFails(Verify(Artifact, Bundle, "--key", Write("big.pub", new string('A', 100_000))), 2, "SC6004");

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"mediaType\": \"application/vnd.dev.sigstore.bundle+json;version=99.9\"}")]
    public void Malformed_bundle_is_exit_2_with_a_bundle_code(string content)
    {
        CliRun run = Verify(Artifact, Write("bundle.json", content));
        Assert.True(run.ExitCode == 2 && run.Code is { } code && code.StartsWith("SC10", StringComparison.Ordinal), run.ToString());
        CliRunner.AssertFails(run, 2, run.Code!);
    }

    [Fact]
    public void Truncated_real_bundle_is_SC1002()
    {
        string text = File.ReadAllText(Bundle);
        CliRunner.AssertFails(Verify(Artifact, Write("truncated.json", text[..(text.Length / 2)])), 2, "SC1002");
    }

    [Theory]
    [InlineData("sha256:zz")]
    [InlineData("sha256:")]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01b")]
    [InlineData("sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf00")]
    [InlineData("sha512:abcd")]
    public void Bad_digest_text_is_SC6003(string digest) => CliRunner.AssertFails(Verify(digest, Bundle), 2, "SC6003");

    [Fact]
    public void Key_that_is_not_PEM_is_SC1507() => CliRunner.AssertFails(Verify(Artifact, Bundle, "--key", Write("k.pub", "not a key")), 2, "SC1507");

    [Fact]
    public void Key_with_a_private_key_label_is_SC1507_and_not_echoed()
    {
        CliRun run = Verify(Artifact, Bundle, "--key", Write("k.pem", "-----BEGIN PRIVATE KEY-----\nQUJDREVGR0hJSktMTU5PUA==\n-----END PRIVATE KEY-----\n"));
        CliRunner.AssertFails(run, 2, "SC1507");
        Assert.DoesNotContain("QUJDREVGR0hJSktMTU5PUA", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("{\"mediaType\": \"application/vnd.dev.sigstore.trustedroot+json;version=0.1\", \"tlogs\": 7}")]
    public void Malformed_trusted_root_is_exit_3_SC1101(string content) =>
        CliRunner.AssertFails(Verify(Artifact, Bundle, "--trusted-root", Write("trusted_root.json", content), "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 3, "SC1101");

    [Fact]
    public void Trusted_root_without_media_type_is_exit_3_SC1102() =>
        CliRunner.AssertFails(Verify(Artifact, Bundle, "--trusted-root", Write("trusted_root.json", "{}"), "--certificate-identity", "a", "--certificate-oidc-issuer", "b"), 3, "SC1102");

    [Fact]
    public void Invalid_identity_regexp_is_a_configuration_error_SC1605() =>
        CliRunner.AssertFails(Verify(Artifact, Bundle, "--certificate-identity-regexp", "(unclosed", "--certificate-oidc-issuer", "b"), 3, "SC1605");

    [Theory]
    [InlineData("--certificate-identity-regexp", "x)|(.*")]
    [InlineData("--certificate-oidc-issuer-regexp", "a)(?:b")]
    public void An_identity_regexp_that_could_escape_its_anchors_is_SC1610(string flag, string pattern)
    {
        string[] identity = flag == "--certificate-identity-regexp" ? [flag, pattern, "--certificate-oidc-issuer", "b"] : ["--certificate-identity", "a", flag, pattern];
        CliRunner.AssertFails(Verify(Artifact, Bundle, identity), 3, "SC1610");
    }

    [Fact]
    public void Json_output_errors_still_go_to_stderr_with_the_code_and_stdout_stays_empty()
    {
        CliRun run = Verify(Artifact, Write("bundle.json", "{"), "--certificate-identity", "a", "--certificate-oidc-issuer", "b", "--output", "json");
        CliRunner.AssertFails(run, 2, "SC1002");
        Assert.Equal(string.Empty, run.Stdout);
    }

    [Fact]
    public void Debug_adds_the_exception_details_after_the_coded_line()
    {
        CliRun run = Verify(Artifact, Write("bundle.json", "{"), "--certificate-identity", "a", "--certificate-oidc-issuer", "b", "--debug");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("SC1002: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("MalformedInputException", run.Stderr, StringComparison.Ordinal);
    }
}
