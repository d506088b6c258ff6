using SupplyChain.Testing;
using SupplyChain.Signing;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Tests.Oidc;

/// <summary>The token-source chain signing programs use (signcli's sign and attest commands): order, no fall-through on a bad token, SC2106.</summary>
public sealed class IdentityTokenChainTests : IDisposable
{
    private static readonly FrozenClock Clock = new(Jwt.Now);
    private static readonly string NoDmi = Path.Combine(Path.GetTempPath(), "no-such-dmi-" + Guid.NewGuid().ToString("N"));
    private readonly string _file = Path.GetTempFileName();
    private int _interactiveCalls;

    public void Dispose() => File.Delete(_file);

    private IdentityTokenChain Chain(Dictionary<string, string> env, string? token = null, string? tokenFile = null, FakeCommandRunner? runner = null, IIdentityTokenProvider? interactive = null) => new(new IdentityTokenChainOptions
    {
        Token = token,
        TokenFile = tokenFile,
        Environment = new FakeEnvironment(env),
        Ambient = new AmbientTokenProviderOptions
        {
            Environment = new FakeEnvironment(env),
            CommandRunner = runner ?? new FakeCommandRunner(99, string.Empty),
            Transport = new StubHandler((_, _) => throw new InvalidOperationException("no HTTP expected")),
            TimeProvider = Clock,
            GcpProductNameFile = NoDmi,
        },
        Interactive = () =>
        {
            _interactiveCalls++;
            return interactive;
        },
        UnavailableMessage = "pass --identity-token",
        TimeProvider = Clock,
    });

    [Fact]
    public async Task An_explicit_token_comes_first_then_the_file_then_SIGSTORE_ID_TOKEN()
    {
        string flag = Jwt.Valid(iss: "https://flag.example");
        string file = Jwt.Valid(iss: "https://file.example");
        string env = Jwt.Valid(iss: "https://env.example");
        await File.WriteAllTextAsync(_file, file);
        Dictionary<string, string> everything = new() { ["SIGSTORE_ID_TOKEN"] = env, ["BUILDKITE"] = "true" };

        using (IdentityTokenChain chain = Chain(everything, token: flag, tokenFile: _file))
        {
            Assert.Equal(flag, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
            Assert.Equal("static", chain.Name);
        }

        using (IdentityTokenChain chain = Chain(everything, tokenFile: _file))
        {
            Assert.Equal(file, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
            Assert.Equal("file", chain.Name);
        }

        using (IdentityTokenChain chain = Chain(everything))
        {
            Assert.Equal(env, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
            Assert.Equal("env", chain.Name);
        }

        Assert.Equal(0, _interactiveCalls);
    }

    [Fact]
    public async Task Ambient_ci_credentials_come_before_the_interactive_flow()
    {
        string raw = Jwt.Valid();
        var runner = new FakeCommandRunner(0, raw);
        using IdentityTokenChain chain = Chain(new() { ["BUILDKITE"] = "true" }, runner: runner);
        Assert.Equal(raw, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
        Assert.Equal("ambient", chain.Name);
        Assert.Equal("buildkite-agent", Assert.Single(runner.Calls).File);
        Assert.Equal(0, _interactiveCalls);
    }

    [Fact]
    public async Task The_interactive_flow_is_asked_only_when_nothing_else_applies()
    {
        string raw = Jwt.Valid();
        using IdentityTokenChain chain = Chain([], interactive: StaticTokenProvider.FromValue(raw, Clock));
        Assert.Equal("chain", chain.Name);
        Assert.Equal(raw, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
        Assert.Equal(raw, (await chain.GetTokenAsync(SigstoreDeployment.Audience)).RawToken);
        Assert.Equal(1, _interactiveCalls);
    }

    [Fact]
    public async Task No_source_fails_SC2106_with_the_programs_message()
    {
        using IdentityTokenChain chain = Chain([]);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await chain.GetTokenAsync(SigstoreDeployment.Audience));
        Assert.Contains("pass --identity-token", ErrorAssert.AssertCode(SigningErrors.TokenUnavailable, e).Message, StringComparison.Ordinal);
        Assert.Equal(1, _interactiveCalls);
    }

    [Fact]
    public async Task A_bad_explicit_token_fails_with_its_code_and_never_falls_through_to_the_environment()
    {
        string expired = Jwt.Valid(aud: "other");
        using IdentityTokenChain chain = Chain(new() { ["SIGSTORE_ID_TOKEN"] = Jwt.Valid() }, token: expired);
        var e = await Assert.ThrowsAnyAsync<Exception>(async () => await chain.GetTokenAsync(SigstoreDeployment.Audience));
        ErrorAssert.AssertCode(SigningErrors.TokenAudienceMismatch, e, expired);

        using IdentityTokenChain missingFile = Chain(new() { ["SIGSTORE_ID_TOKEN"] = Jwt.Valid() }, tokenFile: _file + ".missing");
        e = await Assert.ThrowsAnyAsync<Exception>(async () => await missingFile.GetTokenAsync(SigstoreDeployment.Audience));
        ErrorAssert.AssertCode(SigningErrors.TokenFileUnreadable, e);
        Assert.Equal(0, _interactiveCalls);
    }
}
