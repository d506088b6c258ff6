using SupplyChain.Core.Errors;
using SupplyChain.Tuf;

namespace SupplyChain.Tuf.ConformanceClient;

/// <summary>
/// The tuf-conformance client-under-test (theupdateframework/tuf-conformance CLIENT-CLI.md) over <see cref="TufClient"/>:
/// argument handling and file placement only; every TUF decision is the library's.
/// <code>
/// client --metadata-dir DIR init ROOT
/// client --metadata-dir DIR --metadata-url URL refresh
/// client --metadata-dir DIR --metadata-url URL --target-name NAME --target-base-url URL --target-dir DIR download
/// </code>
/// Exit codes (the protocol's): 0 success, 1 any failure.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: client --metadata-dir DIR (init ROOT | --metadata-url URL refresh | --metadata-url URL --target-name NAME --target-base-url URL --target-dir DIR download)";

    private static readonly string[] Flags = ["--metadata-dir", "--metadata-url", "--target-name", "--target-base-url", "--target-dir"];

    public static async Task<int> Main(string[] args)
    {
        try
        {
            (Dictionary<string, string> flags, List<string> command) = Parse(args);
            string metadataDir = Required(flags, "--metadata-dir");
            switch (command)
            {
                case ["init", string trustedRoot]:
                    // The protocol: "this may involve simply copying the trusted root into METADATA_DIR: no checks are expected".
                    // The library checks it (SC3021) on the first refresh, before any request.
                    File.Copy(trustedRoot, Path.Combine(metadataDir, "root.json"), overwrite: true);
                    return 0;
                case ["refresh"]:
                {
                    using TufClient client = NewClient(flags, metadataDir, targetDir: null);
                    await client.RefreshAsync().ConfigureAwait(false);
                    return 0;
                }

                case ["download"]:
                {
                    // The library refreshes first, then finds, downloads (unless TARGET_DIR already holds a matching copy),
                    // verifies and stores the target in TARGET_DIR under its percent-encoded target path.
                    using TufClient client = NewClient(flags, metadataDir, Required(flags, "--target-dir"));
                    await client.GetTargetAsync(Required(flags, "--target-name")).ConfigureAwait(false);
                    return 0;
                }

                default:
                    throw new ArgumentException(Usage);
            }
        }
        catch (SupplyChainException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"client: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The trusted root is METADATA_DIR/root.json (written by init, then kept current by the library's cache).</summary>
    private static TufClient NewClient(Dictionary<string, string> flags, string metadataDir, string? targetDir) => new(new TufClientOptions
    {
        RepositoryUrl = new Uri(Required(flags, "--metadata-url")),
        TargetBaseUrl = flags.TryGetValue("--target-base-url", out string? targets) ? new Uri(targets) : null,
        InitialRoot = File.ReadAllBytes(Path.Combine(metadataDir, "root.json")),
        CacheDirectory = metadataDir,
        TargetDirectory = targetDir,
    });

    private static (Dictionary<string, string> Flags, List<string> Command) Parse(string[] args)
    {
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        var command = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (Flags.Contains(args[i]))
            {
                flags[args[i]] = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value; {Usage}");
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unknown flag {args[i]}; {Usage}");
            }
            else
            {
                command.Add(args[i]);
            }
        }

        return (flags, command);
    }

    private static string Required(Dictionary<string, string> flags, string name) =>
        flags.TryGetValue(name, out string? value) && value.Length > 0 ? value : throw new ArgumentException($"{name} is required; {Usage}");
}
