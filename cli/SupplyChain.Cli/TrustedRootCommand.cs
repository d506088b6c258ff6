using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;
using SupplyChain.Tuf;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli trusted-root update|show</c>: refreshes the Sigstore trusted root through TUF into the local cache, and
/// shows the trusted root the CLI has and where it came from (online, cache or embedded). docs/cli.md, "trusted-root".
/// </summary>
internal sealed class TrustedRootCommand
{
    private readonly Option<string> _tufUrl = new("--tuf-url") { Description = "The TUF repository (default: the Sigstore production repository, or staging with --staging).", HelpName = "URL" };
    private const string TrustedRootOutput = "Summary format on stdout: 'text' (where the trusted root came from and what it lists) or 'json' (the same as JSON).";
    private readonly Option<string> _tufRoot = new("--tuf-root") { Description = "The initial TUF root.json to trust (default: the embedded Sigstore root; required with a custom --tuf-url).", HelpName = "FILE" };
    private readonly Option<string> _cacheDir = new("--cache-dir") { Description = "The TUF cache directory (default: $XDG_CACHE_HOME/supplychain/tuf/<repository>).", HelpName = "DIR" };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use the Sigstore staging repository and its embedded root." };
    private readonly Option<bool> _offline = new("--offline") { Description = "Make no network call: show the cached, else embedded, trusted root." };
    private readonly Option<string> _updateOutput = CommonOptions.Output(TrustedRootOutput);
    private readonly Option<string> _showOutput = CommonOptions.Output(TrustedRootOutput);

    private readonly ILoggerFactory? _loggers;

    /// <summary>Creates the command group.</summary>
    /// <param name="loggers">Where the TUF client logs (its warnings reach stderr through it).</param>
    public TrustedRootCommand(ILoggerFactory? loggers = null)
    {
        _loggers = loggers;
        Update = new Command("update", "Refresh the trusted root (and signing config) from the TUF repository into the cache.")
        {
            _tufUrl, _tufRoot, _cacheDir, _staging, _updateOutput,
        };
        Show = new Command("show", "Show the trusted root and where it came from (refreshing it first unless --offline; falls back to the cache if the repository is unreachable).")
        {
            _tufUrl, _tufRoot, _cacheDir, _staging, _offline, _showOutput,
        };
        Command = new Command("trusted-root", "Manage the Sigstore trusted root obtained through TUF.") { Update, Show };
    }

    /// <summary>The <c>trusted-root</c> command.</summary>
    public Command Command { get; }

    /// <summary>The <c>trusted-root update</c> subcommand.</summary>
    public Command Update { get; }

    /// <summary>The <c>trusted-root show</c> subcommand.</summary>
    public Command Show { get; }

    /// <summary>Runs <c>update</c> or <c>show</c> for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        bool update = parse.CommandResult.Command == Update;
        bool offline = !update && parse.GetValue(_offline);
        TufClientOptions options = BuildOptions(parse, offline, fallback: !update);
        using var client = new TufClient(options);
        TufResult<TrustedRoot> result = await client.GetTrustedRootAsync(cancellationToken).ConfigureAwait(false);
        string? signingConfig = null;
        if (update)
        {
            try
            {
                signingConfig = (await client.GetSigningConfigAsync(cancellationToken).ConfigureAwait(false)).Provenance.Location;
            }
            catch (SupplyChainException ex) when (ex.Error == TufErrors.TargetNotFound)
            {
                stderr.WriteLine($"note: the repository publishes no {TufClient.SigningConfigTarget}");
            }
        }

        Write(result, client, signingConfig, parse.GetValue(update ? _updateOutput : _showOutput) == "json", stdout);
        return ExitCodes.Success;
    }

    private TufClientOptions BuildOptions(ParseResult parse, bool offline, bool fallback)
    {
        bool staging = parse.GetValue(_staging);
        string? url = parse.GetValue(_tufUrl);
        string? rootPath = parse.GetValue(_tufRoot);
        TufClientOptions defaults = staging ? TufClientOptions.ForStaging() : TufClientOptions.ForProduction();
        Uri repository = defaults.RepositoryUrl;
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out repository!) || repository.Scheme is not ("https" or "http")))
        {
            throw CliErrors.Usage.ToException($"--tuf-url '{url}' is not an absolute http(s) URL");
        }

        bool custom = url is not null && repository.AbsoluteUri.TrimEnd('/') != defaults.RepositoryUrl.AbsoluteUri.TrimEnd('/');
        if (custom && rootPath is null)
        {
            throw CliErrors.Usage.ToException("--tuf-url names another repository than Sigstore's: give its initial root with --tuf-root");
        }

        return new TufClientOptions
        {
            RepositoryUrl = repository,
            InitialRoot = rootPath is null ? defaults.InitialRoot : CliFiles.ReadAll(rootPath, "--tuf-root", CliLimits.MaxTrustedRootBytes),
            CacheDirectory = parse.GetValue(_cacheDir),
            Offline = offline,
            OnUnreachable = fallback ? TufFallback.UseCachedOrEmbedded : TufFallback.Fail,
            EmbeddedTrustedRoot = custom ? ReadOnlyMemory<byte>.Empty : defaults.EmbeddedTrustedRoot,
            EmbeddedTrustedRootDate = custom ? null : defaults.EmbeddedTrustedRootDate,
            LoggerFactory = _loggers,
        };
    }

    private static void Write(TufResult<TrustedRoot> result, TufClient client, string? signingConfig, bool json, TextWriter stdout)
    {
        TufProvenance p = result.Provenance;
        TrustedRoot root = result.Value;
        string sha256 = Convert.ToHexStringLower(SHA256.HashData(result.Bytes.Span));
        string source = p.Source.ToString().ToLowerInvariant();
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("source", source);
                w.WriteString("repository", p.Repository.AbsoluteUri);
                w.WriteString("location", p.Location);
                w.WriteString("cacheDirectory", client.CacheDirectory);
                w.WriteBoolean("cacheInMemory", client.CacheInMemory);
                WriteNumber(w, "tufRootVersion", p.RootVersion);
                WriteNumber(w, "targetsVersion", p.TargetsVersion);
                w.WriteString("fetchedAt", p.FetchedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                WriteNumber(w, "ageSeconds", p.Age is { } age ? (long)age.TotalSeconds : null);
                w.WriteString("sha256", sha256);
                w.WriteString("mediaType", root.MediaType);
                w.WriteNumber("transparencyLogs", root.TransparencyLogs.Count);
                w.WriteNumber("certificateAuthorities", root.CertificateAuthorities.Count);
                w.WriteNumber("ctLogs", root.CertificateTransparencyLogs.Count);
                w.WriteNumber("timestampAuthorities", root.TimestampAuthorities.Count);
                if (signingConfig is not null)
                {
                    w.WriteString("signingConfig", signingConfig);
                }

                w.WriteStartArray("warnings");
                foreach (string warning in p.Warnings)
                {
                    w.WriteStringValue(warning);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            stdout.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return;
        }

        stdout.WriteLine($"source:                  {source}");
        stdout.WriteLine($"repository:              {p.Repository.AbsoluteUri}");
        stdout.WriteLine($"location:                {p.Location}");
        stdout.WriteLine($"cache:                   {client.CacheDirectory ?? "(none)"}{(client.CacheInMemory ? " (in memory)" : string.Empty)}");
        stdout.WriteLine($"TUF root version:        {p.RootVersion?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        stdout.WriteLine($"targets version:         {p.TargetsVersion?.ToString(CultureInfo.InvariantCulture) ?? "-"}");
        stdout.WriteLine($"fetched at:              {p.FetchedAt?.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-"}{(p.Age is { } a ? $" ({Math.Max(0, a.TotalDays):0.#} days ago)" : string.Empty)}");
        stdout.WriteLine($"sha256:                  {sha256}");
        stdout.WriteLine($"media type:              {root.MediaType}");
        stdout.WriteLine($"transparency logs:       {root.TransparencyLogs.Count}");
        stdout.WriteLine($"certificate authorities: {root.CertificateAuthorities.Count}");
        stdout.WriteLine($"CT logs:                 {root.CertificateTransparencyLogs.Count}");
        stdout.WriteLine($"timestamp authorities:   {root.TimestampAuthorities.Count}");
        if (signingConfig is not null)
        {
            stdout.WriteLine($"signing config:          {signingConfig}");
        }
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
