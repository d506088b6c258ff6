namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// The webhook's command-line flags (docs/admission.md "Configuration"), kept in sync with the server's option
/// parsing: the manifests may only use these, and <see cref="ServerFlagTests"/> checks each against the server source.
/// </summary>
internal static class ServerFlags
{
    /// <summary>Every flag the server defines.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "--listen", "--tls-cert", "--tls-key", "--policy", "--trusted-root", "--tuf-url", "--tuf-root", "--tuf-cache",
        "--platform", "--docker-config", "--allow-insecure-registry", "--pull-secrets", "--kubernetes-token-file", "--cache-max-entries", "--cache-ttl",
        "--cache-denied-ttl", "--cache-failure-ttl", "--read-budget", "--max-concurrent-downloads", "--default-timeout", "--max-timeout", "--reload-interval",
    ];

    /// <summary>The flags of a container's args (<c>--name=value</c> or <c>--name value</c>) with their values.</summary>
    public static IReadOnlyDictionary<string, string?> Parse(IReadOnlyList<string> args)
    {
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            Assert.StartsWith("--", arg, StringComparison.Ordinal);
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                Assert.True(flags.TryAdd(arg[..eq], arg[(eq + 1)..]), $"{arg[..eq]} given twice");
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                Assert.True(flags.TryAdd(arg, args[++i]), $"{arg} given twice");
            }
            else
            {
                Assert.True(flags.TryAdd(arg, null), $"{arg} given twice");
            }
        }

        return flags;
    }
}
