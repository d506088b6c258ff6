using System.Net;
using SupplyChain.Admission.Hosting;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>Flags, their environment fallbacks and the refusals (SC7208; Program exits 2).</summary>
public class CommandLineTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    private static string[] Required => ["--tls-cert", "/tls/tls.crt", "--tls-key", "/tls/tls.key", "--policy", "/policy/policy.yaml"];

    [Fact]
    public void Defaults_apply_when_only_the_required_flags_are_given()
    {
        AdmissionServerOptions options = CommandLine.Parse(Required, NoEnvironment);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8443), options.Listen);
        Assert.Equal("/tls/tls.crt", options.TlsCertificatePath);
        Assert.Equal("/policy/policy.yaml", options.PolicyPath);
        Assert.Null(options.TrustedRootPath);
        Assert.Equal(new Uri("https://tuf-repo-cdn.sigstore.dev/"), options.TufRepositoryUrl);
        Assert.Null(options.Platforms);
        Assert.Equal(10_000, options.CacheMaxEntries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DefaultTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MaxTimeout);
        Assert.True(options.JsonConsoleLogs);
    }

    [Fact]
    public void Every_flag_is_read()
    {
        AdmissionServerOptions options = CommandLine.Parse(
        [
            .. Required, "--listen", "127.0.0.1:9443", "--trusted-root", "/trust/trusted_root.json", "--tuf-url=https://tuf.example/",
            "--tuf-root", "/tuf/root.json", "--tuf-cache", "/var/cache/tuf", "--platform", "linux/arm64/v8,linux/amd64", "--docker-config", "/docker/config.json",
            "--allow-insecure-registry", "registry.local:5000", "--allow-insecure-registry", "mirror.local", "--cache-max-entries", "500",
            "--cache-ttl", "10m", "--cache-denied-ttl", "1m", "--cache-failure-ttl", "0", "--default-timeout", "5s", "--max-timeout", "20s",
            "--reload-interval", "2s",
        ], NoEnvironment);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9443), options.Listen);
        Assert.Equal("/trust/trusted_root.json", options.TrustedRootPath);
        Assert.Equal(new Uri("https://tuf.example/"), options.TufRepositoryUrl);
        Assert.Equal("/tuf/root.json", options.TufInitialRootPath);
        Assert.Equal("/var/cache/tuf", options.TufCacheDirectory);
        Assert.Equal([new SupplyChain.Oci.Registry.OciPlatform("linux", "arm64", "v8"), new SupplyChain.Oci.Registry.OciPlatform("linux", "amd64")], options.Platforms);
        Assert.Equal("/docker/config.json", options.DockerConfigPath);
        Assert.Equal(["registry.local:5000", "mirror.local"], options.InsecureRegistries);
        Assert.Equal(500, options.CacheMaxEntries);
        Assert.Equal(TimeSpan.FromMinutes(10), options.CacheTtl);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CacheDeniedTtl);
        Assert.Equal(TimeSpan.Zero, options.CacheFailureTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DefaultTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), options.MaxTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReloadInterval);
    }

    [Fact]
    public void Environment_variables_fill_missing_flags_and_flags_win()
    {
        var environment = new Dictionary<string, string>
        {
            ["SUPPLYCHAIN_ADMISSION_TLS_CERT"] = "/env/tls.crt",
            ["SUPPLYCHAIN_ADMISSION_TLS_KEY"] = "/env/tls.key",
            ["SUPPLYCHAIN_ADMISSION_POLICY"] = "/env/policy.yaml",
            ["SUPPLYCHAIN_ADMISSION_CACHE_TTL"] = "2m",
            ["SUPPLYCHAIN_ADMISSION_ALLOW_INSECURE_REGISTRY"] = "a.local, b.local:5000",
        };
        AdmissionServerOptions options = CommandLine.Parse(["--policy", "/flag/policy.yaml"], name => environment.GetValueOrDefault(name));
        Assert.Equal("/env/tls.crt", options.TlsCertificatePath);
        Assert.Equal("/flag/policy.yaml", options.PolicyPath);
        Assert.Equal(TimeSpan.FromMinutes(2), options.CacheTtl);
        Assert.Equal(["a.local", "b.local:5000"], options.InsecureRegistries);
    }

    [Theory]
    [InlineData("--bogus", "x")]
    [InlineData("--listen", "not-an-endpoint")]
    [InlineData("--cache-ttl", "5 minutes")]
    [InlineData("--cache-max-entries", "0")]
    [InlineData("--cache-max-entries", "-3")]
    [InlineData("--platform", "linux")]
    [InlineData("--tuf-url", "ftp://tuf.example/")]
    [InlineData("--default-timeout", "40s")] // larger than the max timeout
    [InlineData("--reload-interval", "0")]
    [InlineData("--policy", "/again.yaml")] // given twice
    [InlineData("positional", "x")]
    public void Bad_flags_are_SC7208(string flag, string value)
    {
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => CommandLine.Parse([.. Required, flag, value], NoEnvironment)));
        Assert.Equal("SC7208", ex.Code);
    }

    [Fact]
    public void A_missing_required_flag_or_value_is_SC7208()
    {
        Assert.Equal("SC7208", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => CommandLine.Parse(["--tls-cert", "a", "--tls-key", "b"], NoEnvironment))).Code);
        Assert.Equal("SC7208", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => CommandLine.Parse([.. Required, "--listen"], NoEnvironment))).Code);
    }

    [Fact]
    public async Task Program_exits_2_on_bad_flags_and_3_when_the_tls_pair_is_unreadable()
    {
        Assert.Equal(2, await Program.Main(["--no-such-flag", "1"]));
        string dir = Path.Combine(Path.GetTempPath(), "admhost-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Equal(3, await Program.Main(["--listen", "127.0.0.1:0", "--tls-cert", Path.Combine(dir, "missing.crt"), "--tls-key", Path.Combine(dir, "missing.key"), "--policy", Path.Combine(dir, "p.yaml"), "--trusted-root", Path.Combine(dir, "t.json")]));
    }

    [Fact]
    public void The_usage_lists_every_flag_and_the_readme_documents_each()
    {
        string usage = CommandLine.Usage();
        string readme = File.ReadAllText(Path.Combine(SupplyChain.Testing.TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission", "Hosting", "README.md"));
        foreach ((string flag, _, _) in CommandLine.Flags)
        {
            Assert.Contains("--" + flag + " ", usage, StringComparison.Ordinal);
            Assert.Contains("`--" + flag + "`", readme, StringComparison.Ordinal);
        }
    }
}
