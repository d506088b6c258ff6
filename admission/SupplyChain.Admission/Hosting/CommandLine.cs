using System.Globalization;
using System.Net;
using System.Text;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's command-line flags (Hosting/README.md; the deploy manifests use these names, so they are stable).
/// Each flag falls back to the environment variable <c>SUPPLYCHAIN_ADMISSION_</c> + its name in upper case with
/// <c>_</c> for <c>-</c> (for the repeatable <c>--allow-insecure-registry</c>, a comma-separated list). A flag given
/// on the command line wins over its variable.
/// </summary>
internal static class CommandLine
{
    public const string EnvironmentPrefix = "SUPPLYCHAIN_ADMISSION_";

    /// <summary>The flags and what they take, in usage order.</summary>
    public static readonly (string Flag, string Value, string Help)[] Flags =
    [
        ("listen", "ADDRESS:PORT", "where to listen (HTTPS only); default 0.0.0.0:8443"),
        ("tls-cert", "FILE", "TLS certificate PEM (required; reloaded when it changes)"),
        ("tls-key", "FILE", "TLS private key PEM (required; reloaded when it changes)"),
        ("policy", "FILE", "policy file (required; reloaded when it changes)"),
        ("trusted-root", "FILE", "a mounted trusted_root.json (air-gapped; reloaded when it changes) instead of TUF"),
        ("tuf-url", "URL", "TUF repository; default https://tuf-repo-cdn.sigstore.dev/"),
        ("tuf-root", "FILE", "TUF initial root.json; default the embedded root of the production (or staging) repository"),
        ("tuf-cache", "DIR", "TUF metadata cache folder; default in memory"),
        ("platform", "OS/ARCH[/VARIANT],...", "the platforms the cluster's nodes run; default: every platform an index lists"),
        ("docker-config", "FILE", "Docker config.json with registry credentials; default anonymous"),
        ("allow-insecure-registry", "HOST[:PORT]", "a registry spoken to over plain HTTP (repeatable)"),
        ("pull-secrets", "in-cluster|URL", "read each pod's pull secrets and its service account's through the Kubernetes API (in-cluster, or an API server URL) and pull with them; default off"),
        ("kubernetes-token-file", "FILE", "bearer token file for the --pull-secrets API server URL (in-cluster uses the mounted service account token)"),
        ("cache-max-entries", "N", "verdicts cached at most; default 10000"),
        ("cache-ttl", "DURATION", "how long an allowed verdict is cached; default 5m"),
        ("cache-denied-ttl", "DURATION", "how long a denial is cached; default 30s"),
        ("cache-failure-ttl", "DURATION", "how long a registry failure is cached (0 = never); default 5s"),
        ("read-budget", "SIZE", "most bytes one review reads from registries (images, signatures, lineages); 512Ki, 128Mi, 1Gi or bytes; default 128Mi"),
        ("max-concurrent-downloads", "N", "registry reads in flight at once, all reviews together; default 8"),
        ("default-timeout", "DURATION", "timeout assumed without a valid ?timeout=; default 10s"),
        ("max-timeout", "DURATION", "largest ?timeout= honoured; default 30s"),
        ("reload-interval", "DURATION", "how often certificate, key, policy and trusted root are checked; default 10s"),
    ];

    /// <summary>The usage text.</summary>
    public static string Usage()
    {
        var text = new StringBuilder("usage: SupplyChain.Admission --tls-cert FILE --tls-key FILE --policy FILE [flags]\n\nflags (each also read from SUPPLYCHAIN_ADMISSION_<FLAG>, such as SUPPLYCHAIN_ADMISSION_TLS_CERT):\n");
        foreach ((string flag, string value, string help) in Flags)
        {
            text.Append(CultureInfo.InvariantCulture, $"  --{flag} {value}\n      {help}\n");
        }

        text.Append("durations are Go durations: 500ms, 10s, 5m, 24h\n");
        return text.ToString();
    }

    /// <summary>The environment variable of <paramref name="flag"/>.</summary>
    public static string EnvironmentVariable(string flag) => EnvironmentPrefix + flag.ToUpperInvariant().Replace('-', '_');

    /// <summary>Parses the flags; SC7208 (with the flag named) for an unknown flag, a missing value or an invalid one.</summary>
    public static AdmissionServerOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        var given = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw AdmissionErrors.InvalidOption.ToException($"unexpected argument '{Shorten(arg)}'");
            }

            string name = arg[2..];
            string? value = null;
            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }

            if (!Flags.Any(f => f.Flag == name))
            {
                throw AdmissionErrors.InvalidOption.ToException($"unknown flag --{Shorten(name)}");
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    throw AdmissionErrors.InvalidOption.ToException($"--{name} needs a value");
                }

                value = args[++i];
            }

            if (!given.TryGetValue(name, out List<string>? values))
            {
                given[name] = values = [];
            }
            else if (name != "allow-insecure-registry")
            {
                throw AdmissionErrors.InvalidOption.ToException($"--{name} given twice");
            }

            values.Add(value);
        }

        string? Get(string flag) => given.TryGetValue(flag, out List<string>? v) ? v[0] : NullIfEmpty(environment(EnvironmentVariable(flag)));
        string Required(string flag) => Get(flag) ?? throw AdmissionErrors.InvalidOption.ToException($"--{flag} (or {EnvironmentVariable(flag)}) is required");
        TimeSpan Duration(string flag, TimeSpan fallback) => Get(flag) is not { } text ? fallback
            : AdmissionTimeout.TryParseGoDuration(text, out TimeSpan d) ? d
            : throw AdmissionErrors.InvalidOption.ToException($"--{flag}: '{Shorten(text)}' is not a duration such as 10s or 5m");

        var defaults = new AdmissionServerOptions { TlsCertificatePath = "-", TlsKeyPath = "-", PolicyPath = "-" };
        List<string> insecure = given.TryGetValue("allow-insecure-registry", out List<string>? list) ? list
            : (environment(EnvironmentVariable("allow-insecure-registry")) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

        var options = new AdmissionServerOptions
        {
            Listen = Get("listen") is { } listen ? ParseEndpoint(listen) : defaults.Listen,
            TlsCertificatePath = Required("tls-cert"),
            TlsKeyPath = Required("tls-key"),
            PolicyPath = Required("policy"),
            TrustedRootPath = Get("trusted-root"),
            TufRepositoryUrl = Get("tuf-url") is { } url
                ? Uri.TryCreate(url, UriKind.Absolute, out Uri? tuf) && tuf.Scheme is "https" or "http" ? tuf : throw AdmissionErrors.InvalidOption.ToException($"--tuf-url: '{Shorten(url)}' is not an http(s) URL")
                : defaults.TufRepositoryUrl,
            TufInitialRootPath = Get("tuf-root"),
            TufCacheDirectory = Get("tuf-cache"),
            Platforms = Get("platform") is { } platform ? platform.Split(',').Select(ParsePlatform).ToList() : defaults.Platforms,
            DockerConfigPath = Get("docker-config"),
            PullSecrets = Get("pull-secrets") switch
            {
                null => null,
                "in-cluster" => new PullSecrets.PullSecretOptions(),
                { } api => Uri.TryCreate(api, UriKind.Absolute, out Uri? server) && server.Scheme is "https" or "http"
                    ? new PullSecrets.PullSecretOptions { ApiServer = server, TokenFile = Get("kubernetes-token-file") }
                    : throw AdmissionErrors.InvalidOption.ToException($"--pull-secrets: '{Shorten(api)}' is not 'in-cluster' or an http(s) URL"),
            },
            InsecureRegistries = insecure,
            CacheMaxEntries = Get("cache-max-entries") is { } max
                ? int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : throw AdmissionErrors.InvalidOption.ToException($"--cache-max-entries: '{Shorten(max)}' is not a positive integer")
                : defaults.CacheMaxEntries,
            CacheTtl = Duration("cache-ttl", defaults.CacheTtl),
            CacheDeniedTtl = Duration("cache-denied-ttl", defaults.CacheDeniedTtl),
            CacheFailureTtl = Duration("cache-failure-ttl", defaults.CacheFailureTtl),
            ReadBudgetBytes = Get("read-budget") is { } budget
                ? TryParseSize(budget, out long bytes) && bytes > 0 ? bytes : throw AdmissionErrors.InvalidOption.ToException($"--read-budget: '{Shorten(budget)}' is not a size such as 128Mi")
                : defaults.ReadBudgetBytes,
            MaxConcurrentDownloads = Get("max-concurrent-downloads") is { } downloads
                ? int.TryParse(downloads, NumberStyles.None, CultureInfo.InvariantCulture, out int d) && d is >= 1 and <= 1024 ? d : throw AdmissionErrors.InvalidOption.ToException($"--max-concurrent-downloads: '{Shorten(downloads)}' is not an integer from 1 to 1024")
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
            : throw AdmissionErrors.InvalidOption.ToException($"--listen: '{Shorten(text)}' is not ADDRESS:PORT such as 0.0.0.0:8443");

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
            throw AdmissionErrors.InvalidOption.ToException($"--platform: '{Shorten(text)}' is not OS/ARCH[/VARIANT] such as linux/amd64");
        }

        return new OciPlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
