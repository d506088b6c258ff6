using System.Globalization;
using System.Text;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's command-line flags and their usage text (Hosting/README.md; the deploy manifests use these names, so
/// they are stable). The flags are a configuration source (<see cref="FlagConfigurationSource"/>) over the environment
/// variables <c>SUPPLYCHAIN_ADMISSION_</c> + a flag's name in upper case with <c>_</c> for <c>-</c>;
/// <see cref="AdmissionConfiguration"/> builds both and binds them into <see cref="AdmissionServerOptions"/>.
/// </summary>
internal static class CommandLine
{
    /// <summary>The prefix of the environment variables that stand in for flags.</summary>
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

    /// <summary>The one flag that may be repeated (its environment variable is comma-separated).</summary>
    public const string RepeatableFlag = "allow-insecure-registry";

    /// <summary>The environment variable of <paramref name="flag"/>.</summary>
    public static string EnvironmentVariable(string flag) => EnvironmentPrefix + flag.ToUpperInvariant().Replace('-', '_');

    /// <summary>
    /// The configuration key of <paramref name="flag"/>: its name with <c>_</c> for <c>-</c>, which is also what the
    /// environment-variables provider leaves of its variable once the prefix is removed (keys ignore case).
    /// </summary>
    public static string Key(string flag) => flag.Replace('-', '_');

    /// <summary>At most 64 characters of an untrusted value, for an error message.</summary>
    internal static string Shorten(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
