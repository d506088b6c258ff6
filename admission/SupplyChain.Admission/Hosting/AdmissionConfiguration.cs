using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's settings as Microsoft.Extensions.Configuration (Hosting/README.md, "Flags"): the environment variables
/// <c>SUPPLYCHAIN_ADMISSION_*</c> (<see cref="EnvironmentConfigurationSource"/>: exact upper-case names only), then
/// the flags (<see cref="FlagConfigurationSource"/>), so a flag wins over its variable and a variable over the default. <see cref="Bind"/> turns the configuration into
/// <see cref="AdmissionServerOptions"/>: Go durations, sizes, endpoints, platforms and URLs are parsed here (the
/// configuration binder knows none of them), and the result passes <see cref="AdmissionServerOptionsValidator"/>, the
/// validator the host runs again on start. Every refusal is SC7208 naming the flag (Program prints the usage, exit 2).
/// </summary>
internal static class AdmissionConfiguration
{
    /// <summary>The configuration of <paramref name="args"/> over the environment; SC7208 for a flag or a variable a source refuses.</summary>
    /// <param name="args">The command-line flags.</param>
    /// <param name="environmentPrefix">The environment variables' prefix (tests use their own, so parallel tests do not meet).</param>
    public static IConfigurationRoot Build(IReadOnlyList<string> args, string environmentPrefix = CommandLine.EnvironmentPrefix) =>
        new ConfigurationBuilder()
            .Add(new EnvironmentConfigurationSource(environmentPrefix))
            .Add(new FlagConfigurationSource(args))
            .Build();

    /// <summary>The options the configuration gives (defaults for what it leaves out); SC7208 for a missing or an invalid value.</summary>
    public static AdmissionServerOptions Bind(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        // An empty variable (or --flag=) counts as not given.
        string? Get(string flag) => configuration[CommandLine.Key(flag)] is { Length: > 0 } value ? value : null;
        string Required(string flag) => Get(flag) ?? throw AdmissionErrors.InvalidOption.ToException($"--{flag} (or {CommandLine.EnvironmentVariable(flag)}) is required");
        TimeSpan Duration(string flag, TimeSpan fallback) => Get(flag) is not { } text ? fallback
            : AdmissionTimeout.TryParseGoDuration(text, out TimeSpan d) ? d
            : throw Invalid(flag, text, "a duration such as 10s or 5m");

        var defaults = new AdmissionServerOptions { TlsCertificatePath = "-", TlsKeyPath = "-", PolicyPath = "-" };
        var options = new AdmissionServerOptions
        {
            Listen = Get("listen") is { } listen ? ParseEndpoint(listen) : defaults.Listen,
            TlsCertificatePath = Required("tls-cert"),
            TlsKeyPath = Required("tls-key"),
            PolicyPath = Required("policy"),
            TrustedRootPath = Get("trusted-root"),
            TufRepositoryUrl = Get("tuf-url") is { } url ? HttpUrl("tuf-url", url, "an http(s) URL") : defaults.TufRepositoryUrl,
            TufInitialRootPath = Get("tuf-root"),
            TufCacheDirectory = Get("tuf-cache"),
            Platforms = Get("platform") is { } platform ? platform.Split(',').Select(ParsePlatform).ToList() : defaults.Platforms,
            DockerConfigPath = Get("docker-config"),
            PullSecrets = Get("pull-secrets") switch
            {
                null => null,
                "in-cluster" => new PullSecrets.PullSecretOptions(),
                { } api => new PullSecrets.PullSecretOptions { ApiServer = HttpUrl("pull-secrets", api, "'in-cluster' or an http(s) URL"), TokenFile = Get("kubernetes-token-file") },
            },
            InsecureRegistries = (Get(CommandLine.RepeatableFlag) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            CacheMaxEntries = Get("cache-max-entries") is { } max
                ? int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : throw Invalid("cache-max-entries", max, "a positive integer")
                : defaults.CacheMaxEntries,
            CacheTtl = Duration("cache-ttl", defaults.CacheTtl),
            CacheDeniedTtl = Duration("cache-denied-ttl", defaults.CacheDeniedTtl),
            CacheFailureTtl = Duration("cache-failure-ttl", defaults.CacheFailureTtl),
            ReadBudgetBytes = Get("read-budget") is { } budget
                ? TryParseSize(budget, out long bytes) && bytes > 0 ? bytes : throw Invalid("read-budget", budget, "a size such as 128Mi")
                : defaults.ReadBudgetBytes,
            MaxConcurrentDownloads = Get("max-concurrent-downloads") is { } downloads
                ? int.TryParse(downloads, NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d is >= 1 and <= 1024 ? d : throw Invalid("max-concurrent-downloads", downloads, "an integer from 1 to 1024")
                : defaults.MaxConcurrentDownloads,
            DefaultTimeout = Duration("default-timeout", defaults.DefaultTimeout),
            MaxTimeout = Duration("max-timeout", defaults.MaxTimeout),
            ReloadInterval = Duration("reload-interval", defaults.ReloadInterval),
            JsonConsoleLogs = true,
        };
        options.Validate();
        return options;
    }

    internal static IPEndPoint ParseEndpoint(string text) =>
        IPEndPoint.TryParse(text, out IPEndPoint? endpoint) && text.Contains(':', StringComparison.Ordinal)
            ? endpoint
            : throw AdmissionErrors.InvalidOption.ToException($"--listen: '{CommandLine.Shorten(text)}' is not ADDRESS:PORT such as 0.0.0.0:8443");

    /// <summary>A size in bytes, or with a binary suffix as Kubernetes quantities write it: <c>512Ki</c>, <c>128Mi</c>, <c>1Gi</c>.</summary>
    internal static bool TryParseSize(string text, out long bytes)
    {
        (string digits, long unit) = text switch
        {
            _ when text.EndsWith("Ki", StringComparison.Ordinal) => (text[..^2], 1024L),
            _ when text.EndsWith("Mi", StringComparison.Ordinal) => (text[..^2], 1024L * 1024),
            _ when text.EndsWith("Gi", StringComparison.Ordinal) => (text[..^2], 1024L * 1024 * 1024),
            _ => (text, 1L),
        };
        bytes = 0;
        if (digits.Length is 0 or > 12 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count))
        {
            return false;
        }

        bytes = count * unit;
        return true;
    }

    internal static OciPlatform ParsePlatform(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Length > 32 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
        {
            throw AdmissionErrors.InvalidOption.ToException($"--platform: '{CommandLine.Shorten(text)}' is not OS/ARCH[/VARIANT] such as linux/amd64");
        }

        return new OciPlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private static Uri HttpUrl(string flag, string text, string expected) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "https" or "http" ? url : throw Invalid(flag, text, expected);

    private static SupplyChain.Core.Errors.SupplyChainException Invalid(string flag, string text, string expected) =>
        AdmissionErrors.InvalidOption.ToException($"--{flag}: '{CommandLine.Shorten(text)}' is not {expected}");
}
