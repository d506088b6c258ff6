using System.Net;
using SupplyChain.Admission.Hosting;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>
/// Flags and environment variables as configuration, bound into the options: precedence (flag, then variable, then
/// default) and the refusals (SC7208; Program exits 2). Each test's variables use a prefix of its own (the process
/// environment is shared by tests running in parallel); <see cref="The_variables_are_SUPPLYCHAIN_ADMISSION_and_the_flag_name"/>
/// pins the real one.
/// </summary>
public class AdmissionConfigurationTests
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    /// <summary>Binds <paramref name="args"/> over <paramref name="environment"/> (names as deployed: <c>SUPPLYCHAIN_ADMISSION_*</c>), set for real in the process under a prefix of this call's own.</summary>
    /// <remarks>
    /// A name whose prefix is in lower case (or another case) gets this call's prefix in that case, so the strict
    /// source's case tests use real, distinct variables too (the test host runs on Linux, where names are case-sensitive).
    /// </remarks>
    private static AdmissionServerOptions Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string> environment, string? prefix = null)
    {
        prefix ??= NewPrefix();
        string callPrefix = prefix;
        var names = environment.Keys.Select(name => Renamed(name, callPrefix)).ToList();
        try
        {
            foreach ((string name, string value) in environment)
            {
                Environment.SetEnvironmentVariable(Renamed(name, prefix), value);
            }

            return AdmissionConfiguration.Bind(AdmissionConfiguration.Build(args, prefix));
        }
        finally
        {
            names.ForEach(name => Environment.SetEnvironmentVariable(name, null));
        }
    }

    private static string NewPrefix() => "SCADMTEST_" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant() + "_";

    /// <summary><paramref name="name"/> (a <c>SUPPLYCHAIN_ADMISSION_</c> name in any case) under <paramref name="prefix"/>, in the case its own prefix has.</summary>
    private static string Renamed(string name, string prefix)
    {
        string own = name[..CommandLine.EnvironmentPrefix.Length];
        string recased = own == CommandLine.EnvironmentPrefix ? prefix
            : !own.Any(char.IsAsciiLetterUpper) ? prefix.ToLowerInvariant()
            : prefix[..1] + prefix[1..].ToLowerInvariant();
        return recased + name[CommandLine.EnvironmentPrefix.Length..];
    }

    private static string[] Required => ["--tls-cert", "/tls/tls.crt", "--tls-key", "/tls/tls.key", "--policy", "/policy/policy.yaml"];

    [Fact]
    public void Defaults_apply_when_only_the_required_flags_are_given()
    {
        AdmissionServerOptions options = Parse(Required, NoEnvironment);
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
        AdmissionServerOptions options = Parse(
        [
            .. Required, "--listen", "127.0.0.1:9443", "--trusted-root", "/trust/trusted_root.json", "--tuf-url=https://tuf.example/",
            "--tuf-root", "/tuf/root.json", "--tuf-cache", "/var/cache/tuf", "--platform", "linux/arm64/v8,linux/amd64", "--docker-config", "/docker/config.json",
            "--allow-insecure-registry", "registry.local:5000", "--allow-insecure-registry", "mirror.local", "--cache-max-entries", "500",
            "--cache-ttl", "10m", "--cache-denied-ttl", "1m", "--cache-failure-ttl", "0", "--default-timeout", "5s", "--max-timeout", "20s",
            "--reload-interval", "2s", "--read-budget", "64Mi", "--max-concurrent-downloads", "4",
        ], NoEnvironment);
        Assert.Equal(64L * 1024 * 1024, options.ReadBudgetBytes);
        Assert.Equal(4, options.MaxConcurrentDownloads);
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
        AdmissionServerOptions options = Parse(["--policy", "/flag/policy.yaml"], environment);
        Assert.Equal("/env/tls.crt", options.TlsCertificatePath);
        Assert.Equal("/flag/policy.yaml", options.PolicyPath);
        Assert.Equal(TimeSpan.FromMinutes(2), options.CacheTtl);
        Assert.Equal(["a.local", "b.local:5000"], options.InsecureRegistries);
    }

    [Fact]
    public void A_flag_wins_over_its_variable_and_a_variable_over_the_default()
    {
        string[] flags = [.. Required, "--cache-ttl", "1m", "--allow-insecure-registry", "flag.local", "--allow-insecure-registry", "flag2.local"];
        var environment = new Dictionary<string, string>
        {
            ["SUPPLYCHAIN_ADMISSION_CACHE_TTL"] = "2m",
            ["SUPPLYCHAIN_ADMISSION_ALLOW_INSECURE_REGISTRY"] = "env.local",
            ["SUPPLYCHAIN_ADMISSION_MAX_TIMEOUT"] = "25s",
        };

        AdmissionServerOptions defaults = Parse(Required, NoEnvironment);
        AdmissionServerOptions fromEnvironment = Parse(Required, environment);
        AdmissionServerOptions fromFlags = Parse(flags, environment);

        Assert.Equal(TimeSpan.FromMinutes(5), defaults.CacheTtl);
        Assert.Equal(TimeSpan.FromMinutes(2), fromEnvironment.CacheTtl);
        Assert.Equal(TimeSpan.FromMinutes(1), fromFlags.CacheTtl);
        Assert.Empty(defaults.InsecureRegistries);
        Assert.Equal(["env.local"], fromEnvironment.InsecureRegistries);
        Assert.Equal(["flag.local", "flag2.local"], fromFlags.InsecureRegistries); // the repeated flag replaces the variable's list
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.MaxTimeout);
        Assert.Equal(TimeSpan.FromSeconds(25), fromFlags.MaxTimeout); // no flag: the variable still applies
    }

    [Fact]
    public void The_variables_are_SUPPLYCHAIN_ADMISSION_and_the_flag_name()
    {
        Assert.Equal("SUPPLYCHAIN_ADMISSION_TLS_CERT", CommandLine.EnvironmentVariable("tls-cert"));
        Assert.Equal("SUPPLYCHAIN_ADMISSION_ALLOW_INSECURE_REGISTRY", CommandLine.EnvironmentVariable("allow-insecure-registry"));

        // The real prefix, through the real environment (tests of this class run one at a time; no other class reads it).
        Environment.SetEnvironmentVariable("SUPPLYCHAIN_ADMISSION_CACHE_DENIED_TTL", "45s");
        try
        {
            Assert.Equal(TimeSpan.FromSeconds(45), AdmissionConfiguration.Bind(AdmissionConfiguration.Build(Required)).CacheDeniedTtl);
        }
        finally
        {
            Environment.SetEnvironmentVariable("SUPPLYCHAIN_ADMISSION_CACHE_DENIED_TTL", null);
        }
    }

    [Theory]
    [InlineData("SUPPLYCHAIN_ADMISSION_CACHE_TTL", "5 minutes")]
    [InlineData("SUPPLYCHAIN_ADMISSION_RELOAD_INTERVAL", "1d")]
    [InlineData("SUPPLYCHAIN_ADMISSION_LISTEN", "8443")]
    [InlineData("SUPPLYCHAIN_ADMISSION_READ_BUDGET", "1GB")]
    [InlineData("SUPPLYCHAIN_ADMISSION_PLATFORM", "linux/amd64,")]
    [InlineData("SUPPLYCHAIN_ADMISSION_PULL_SECRETS", "cluster")]
    public void Bad_variables_are_SC7208_like_bad_flags(string variable, string value)
    {
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse(Required, new Dictionary<string, string> { [variable] = value })));
        Assert.Equal("SC7208", ex.Code);
        Assert.Contains("--" + variable["SUPPLYCHAIN_ADMISSION_".Length..].ToLowerInvariant().Replace('_', '-'), ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Only the exact upper-case names of the flags are read: any other variable under the prefix (misspelled, or a flag
    /// name in another case) and the prefix in another case are SC7208 naming the variable, never its value, instead of
    /// being ignored (a misspelled trusted root would fall back to TUF) or honoured case-insensitively (two variables
    /// differing in case would race by environment order).
    /// </summary>
    [Theory]
    [InlineData("SUPPLYCHAIN_ADMISSION_TRUSTED_ROOTS")]
    [InlineData("SUPPLYCHAIN_ADMISSION_ALLOW_INSECURE_REGISTRIES")]
    [InlineData("SUPPLYCHAIN_ADMISSION_")]
    [InlineData("SUPPLYCHAIN_ADMISSION_policy")]
    [InlineData("SUPPLYCHAIN_ADMISSION_Allow_Insecure_Registry")]
    [InlineData("SUPPLYCHAIN_ADMISSION_TLS-CERT")]
    [InlineData("supplychain_admission_allow_insecure_registry")]
    [InlineData("supplychain_admission_ALLOW_INSECURE_REGISTRY")]
    [InlineData("Supplychain_admission_CACHE_TTL")]
    public void A_variable_under_the_prefix_that_is_not_a_flag_exactly_is_SC7208_naming_it(string variable)
    {
        const string Value = "attacker-registry.example:5000";
        string prefix = NewPrefix();
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse(Required, new Dictionary<string, string> { [variable] = Value }, prefix)));
        Assert.Equal("SC7208", ex.Code);
        Assert.Contains(Renamed(variable, prefix), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Value, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_variables_differing_in_case_are_SC7208_not_a_race()
    {
        var environment = new Dictionary<string, string>
        {
            ["SUPPLYCHAIN_ADMISSION_CACHE_TTL"] = "2m",
            ["supplychain_admission_cache_ttl"] = "1m",
        };
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse(Required, environment)));
        Assert.Equal("SC7208", ex.Code);
    }

    [Fact]
    public void Every_flag_is_read_from_its_exact_variable()
    {
        var values = new Dictionary<string, string>
        {
            ["listen"] = "127.0.0.1:9443", ["tls-cert"] = "/env/tls.crt", ["tls-key"] = "/env/tls.key", ["policy"] = "/env/policy.yaml",
            ["trusted-root"] = "/env/trusted_root.json", ["tuf-url"] = "https://tuf.example/", ["tuf-root"] = "/env/root.json",
            ["tuf-cache"] = "/env/tuf", ["platform"] = "linux/amd64", ["docker-config"] = "/env/config.json",
            ["allow-insecure-registry"] = "a.local", ["pull-secrets"] = "https://kube.example/", ["kubernetes-token-file"] = "/env/token",
            ["cache-max-entries"] = "7", ["cache-ttl"] = "1m", ["cache-denied-ttl"] = "20s", ["cache-failure-ttl"] = "1s",
            ["read-budget"] = "1Mi", ["max-concurrent-downloads"] = "3", ["default-timeout"] = "5s", ["max-timeout"] = "20s",
            ["reload-interval"] = "2s",
        };
        Assert.Equal(CommandLine.Flags.Select(f => f.Flag).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));

        AdmissionServerOptions options = Parse([], values.ToDictionary(v => CommandLine.EnvironmentVariable(v.Key), v => v.Value));
        Assert.Equal("/env/policy.yaml", options.PolicyPath);
        Assert.Equal("/env/token", options.PullSecrets?.TokenFile);
        Assert.Equal(3, options.MaxConcurrentDownloads);
        Assert.Equal(TimeSpan.FromSeconds(2), options.ReloadInterval);
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
    [InlineData("--policy=/again.yaml", "--listen=127.0.0.1:1")] // given twice, with =
    [InlineData("--read-budget", "0")]
    [InlineData("--read-budget", "128MB")]
    [InlineData("--read-budget", "-1Mi")]
    [InlineData("--max-concurrent-downloads", "0")]
    [InlineData("--max-concurrent-downloads", "5000")]
    [InlineData("positional", "x")]
    public void Bad_flags_are_SC7208(string flag, string value)
    {
        var ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse([.. Required, flag, value], NoEnvironment)));
        Assert.Equal("SC7208", ex.Code);
    }

    [Fact]
    public void A_missing_required_flag_or_value_is_SC7208()
    {
        Assert.Equal("SC7208", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse(["--tls-cert", "a", "--tls-key", "b"], NoEnvironment))).Code);
        Assert.Equal("SC7208", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => Parse([.. Required, "--listen"], NoEnvironment))).Code);
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
