using System.Text;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Cli.Tests;

/// <summary>
/// sign-blob and attest-blob inputs: token sources, --key passwords, predicates and predicate types. Every case fails
/// before a service is called (no network).
/// </summary>
public sealed class SignAndAttestInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-signcli-").FullName;

    private static string Artifact => CliRunner.QuickstartArtifact;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string B64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Jwt(string claims) => B64Url("{\"alg\":\"none\"}") + "." + B64Url(claims) + ".c2VjcmV0LXNpZ25hdHVyZQ";

    private static CliRun Run(FakeTerminal terminal, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, terminal));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    private string Out => Path.Combine(_dir, "out.sigstore.json");

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("sign-blob")]
    [InlineData("attest-blob")]
    public void No_token_source_and_no_terminal_is_SC2106(string command)
    {
        string[] extra = command == "attest-blob" ? ["--predicate", Write("p.json", "{}")] : [];
        CliRun run = Run(new FakeTerminal(), [command, Artifact, "--bundle", Out, .. extra]);
        CliRunner.AssertFails(run, ExitCodes.TrustRootOrConfiguration, "SC2106");
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void An_expired_token_from_the_environment_is_SC2102_and_never_printed()
    {
        string token = Jwt("{\"iss\":\"https://issuer.example\",\"sub\":\"s\",\"aud\":\"sigstore\",\"exp\":1000000000}");
        CliRun run = Run(new FakeTerminal { Variables = { ["SIGSTORE_ID_TOKEN"] = token } }, "sign-blob", Artifact, "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.VerificationFailed, "SC2102");
        Assert.DoesNotContain(token, run.Stderr + run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXNpZ25hdHVyZQ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_for_another_audience_is_SC2104_and_never_printed()
    {
        string token = Jwt("{\"iss\":\"https://issuer.example\",\"sub\":\"s\",\"aud\":\"other\",\"exp\":4000000000}");
        string file = Write("token", token);
        CliRun run = Run(new FakeTerminal(), "sign-blob", Artifact, "--bundle", Out, "--identity-token", "@" + file);
        CliRunner.AssertFails(run, ExitCodes.VerificationFailed, "SC2104");
        Assert.DoesNotContain(token, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_key_password_is_SC2004()
    {
        string key = EncryptedKey("right");
        CliRun run = Run(new FakeTerminal { Variables = { ["COSIGN_PASSWORD"] = "wrong" } }, "sign-blob", Artifact, "--bundle", Out, "--key", key);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2004");
        Assert.False(File.Exists(Out));
    }

    [Fact]
    public void An_encrypted_key_without_password_and_terminal_is_SC2007()
    {
        string key = EncryptedKey("right");
        CliRun run = Run(new FakeTerminal(), "attest-blob", Artifact, "--predicate", Write("p.json", "{}"), "--bundle", Out, "--key", key);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2007");
    }

    [Fact]
    public void The_key_password_is_prompted_for_on_a_terminal_and_never_echoed()
    {
        string key = EncryptedKey("right");
        var terminal = new FakeTerminal { Interactive = true, Typed = "typed-wrong-password" };
        CliRun run = Run(terminal, "sign-blob", Artifact, "--bundle", Out, "--key", key);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC2004");
        Assert.Equal(1, terminal.Prompts);
        Assert.DoesNotContain("typed-wrong-password", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_with_device_flow_is_a_usage_error() =>
        CliRunner.AssertFails(Run(new FakeTerminal(), "sign-blob", Artifact, "--bundle", Out, "--key", "k", "--oidc-device-flow"), ExitCodes.MalformedInput, "SC6001");

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public void An_invalid_predicate_is_SC6008(string predicate)
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Artifact, "--predicate", Write("p.json", predicate), "--type", "slsaprovenance1", "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6008");
    }

    [Theory]
    [InlineData("vuln-report")]
    [InlineData("SLSAProvenance")]
    public void An_unknown_type_that_is_not_a_URI_is_SC6009(string type)
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Artifact, "--predicate", Write("p.json", "{}"), "--type", type, "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6009");
    }

    [Fact]
    public void Predicate_and_statement_together_are_a_usage_error()
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Artifact, "--statement", "--predicate", Write("p.json", "{}"), "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6001");
    }

    [Fact]
    public void A_statement_without_subject_is_SC6008()
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Write("s.json", "{\"_type\":\"https://in-toto.io/Statement/v1\"}"), "--statement", "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6008");
    }

    /// <summary>The statement's shape is read through a source-generated DTO: a member of the wrong JSON type is SC6008 too.</summary>
    [Theory]
    [InlineData("{\"_type\":7,\"subject\":[]}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":{}}")]
    [InlineData("[]")]
    public void A_statement_of_the_wrong_shape_is_SC6008(string json)
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Write("s.json", json), "--statement", "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6008");
    }

    private const string Subject = "[{\"name\":\"a.txt\",\"digest\":{\"sha256\":\"a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf\"}}]";
    private const string OtherSubject = "[{\"name\":\"evil\",\"digest\":{\"sha256\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}]";

    /// <summary>
    /// A statement our own verifier refuses (InTotoStatement.Parse, SC1505) is never signed: above all one with a
    /// duplicate key, which Go's and JavaScript's readers resolve to the last value (a parser differential: the signer
    /// and a verifier would see different subjects). SC6008, exit 2, before any token is asked for.
    /// </summary>
    [Theory]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://example.com/p\",\"predicate\":{},\"subject\":" + OtherSubject + "}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"_type\":\"https://example.com/not-a-statement\",\"predicateType\":\"https://example.com/p\",\"predicate\":{}}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://example.com/p\",\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{}}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"name\":\"a.txt\",\"digest\":{\"sha256\":\"aa\",\"sha256\":\"bb\"}}],\"predicateType\":\"https://example.com/p\",\"predicate\":{}}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://example.com/p\",\"predicate\":{\"k\":1,\"k\":2}}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicate\":{}}")] // no predicateType
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[],\"predicateType\":\"https://example.com/p\"}")] // no subject
    [InlineData("{\"_type\":\"https://example.com/Statement\",\"subject\":" + Subject + ",\"predicateType\":\"https://example.com/p\"}")]
    [InlineData("{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://example.com/p\"} {}")]
    public void A_statement_the_verifier_refuses_is_SC6008_and_not_signed(string json)
    {
        CliRun run = Run(new FakeTerminal(), "attest-blob", Write("s.json", json), "--statement", "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.MalformedInput, "SC6008");
        Assert.Contains("SC1505", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Out));
    }

    /// <summary>A valid statement (the shape of the conformance suite's) passes the check: without a token source it gets as far as SC2106.</summary>
    [Fact]
    public void A_valid_statement_passes_the_check()
    {
        string statement = Write("s.json", "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":" + Subject + ",\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{\"buildDefinition\":{}}}");
        CliRun run = Run(new FakeTerminal(), "attest-blob", statement, "--statement", "--bundle", Out);
        CliRunner.AssertFails(run, ExitCodes.TrustRootOrConfiguration, "SC2106");
    }

    [Theory]
    [InlineData("slsaprovenance", "https://slsa.dev/provenance/v0.2")]
    [InlineData("slsaprovenance1", "https://slsa.dev/provenance/v1")]
    [InlineData("cyclonedx", "https://cyclonedx.org/bom")]
    [InlineData("spdxjson", "https://spdx.dev/Document")]
    [InlineData("custom", "https://cosign.sigstore.dev/attestation/v1")]
    [InlineData("https://example.com/my-predicate/v1", "https://example.com/my-predicate/v1")]
    public void Predicate_types_map_cosign_short_names(string type, string uri) =>
        Assert.Equal(uri, AttestBlobCommand.PredicateType(type));

    [Fact]
    public void The_statement_names_the_file_and_its_sha256()
    {
        byte[] json = AttestBlobCommand.BuildStatement(Artifact, "https://slsa.dev/provenance/v1", Encoding.UTF8.GetBytes("{\"buildType\":\"x\"}"));
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("https://in-toto.io/Statement/v1", root.GetProperty("_type").GetString());
        Assert.Equal("https://slsa.dev/provenance/v1", root.GetProperty("predicateType").GetString());
        Assert.Equal("x", root.GetProperty("predicate").GetProperty("buildType").GetString());
        var subject = root.GetProperty("subject")[0];
        Assert.Equal(Path.GetFileName(Artifact), subject.GetProperty("name").GetString());
        string expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(Artifact)));
        Assert.Equal(expected, subject.GetProperty("digest").GetProperty("sha256").GetString());
    }

    private string EncryptedKey(string password)
    {
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        return Write("cosign.key", key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(password)));
    }

    private sealed class FakeTerminal : IPasswordSource
    {
        public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

        public bool Interactive { get; init; }

        public string? Typed { get; init; }

        public int Prompts { get; private set; }

        public bool IsInteractive => Interactive;

        public string? GetEnvironmentVariable(string name) => Variables.GetValueOrDefault(name);

        public string ReadHidden(string prompt, TextWriter promptWriter)
        {
            Prompts++;
            return Typed ?? throw new InvalidOperationException("no terminal");
        }
    }
}
