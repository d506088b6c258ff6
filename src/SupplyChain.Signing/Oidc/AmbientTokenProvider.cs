using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SupplyChain.Http;

namespace SupplyChain.Signing.Oidc;

/// <summary>Options of <see cref="AmbientTokenProvider"/>.</summary>
public sealed class AmbientTokenProviderOptions
{
    /// <summary>The environment; the process environment by default.</summary>
    public IEnvironmentVariables Environment { get; init; } = ProcessEnvironmentVariables.Instance;

    /// <summary>Runs <c>buildkite-agent</c> and <c>circleci</c>; <see cref="ProcessCommandRunner"/> by default.</summary>
    public ICommandRunner CommandRunner { get; init; } = ProcessCommandRunner.Instance;

    /// <summary>The HTTP transport for GitHub Actions and the GCP metadata server, or <see langword="null"/> for a pooled <see cref="SocketsHttpHandler"/>. The caller disposes it.</summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>The timeout of each HTTP attempt and the retries of the token GETs: three attempts of 10 s by default.</summary>
    public HttpRetryPolicy Retry { get; init; } = HttpRetryPolicy.Default with { MaxAttempts = 3, AttemptTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>Where the provider logs its requests (never tokens, query strings or bodies), or <see langword="null"/>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for the token checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The GCP metadata server base URL; <c>http://$GCE_METADATA_HOST</c> or <c>http://metadata.google.internal</c> when null.
    /// </summary>
    public Uri? GcpMetadataBaseUrl { get; init; }

    /// <summary>The file whose content names the machine vendor (Linux DMI); "Google" there means GCP.</summary>
    public string GcpProductNameFile { get; init; } = "/sys/class/dmi/id/product_name";

    /// <summary>The timeout of each token command (<c>buildkite-agent</c>, <c>circleci</c>).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The timeout of each attempt of the GCP metadata server request (it answers in milliseconds), short so that detection never hangs off GCP.</summary>
    public TimeSpan GcpMetadataTimeout { get; init; } = TimeSpan.FromSeconds(3);

}

/// <summary>
/// Finds the CI system's ambient OIDC credential, trying in order GitHub Actions, GitLab CI, Buildkite, CircleCI and
/// Google Cloud (as sigstore-python's <c>id</c> and cosign's providers do), and uses the first that applies.
/// A source that applies but fails is an error (<c>SC2108</c>); none applying is <c>SC2106</c>.
/// </summary>
public sealed class AmbientTokenProvider : IIdentityTokenProvider, IDisposable
{
    private readonly AmbientTokenProviderOptions _options;
    private readonly OidcHttp _http;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">The options; defaults when null.</param>
    public AmbientTokenProvider(AmbientTokenProviderOptions? options = null)
    {
        _options = options ?? new AmbientTokenProviderOptions();
        _http = new OidcHttp(_options.Transport, _options.Retry, _options.TimeProvider, _options.LoggerFactory?.CreateLogger<AmbientTokenProvider>());
    }

    /// <inheritdoc />
    public string Name => "ambient";

    /// <summary>The name of the CI system that applies (<c>github-actions</c>, <c>gitlab-ci</c>, <c>env</c> (<c>SIGSTORE_ID_TOKEN</c> outside GitLab), <c>buildkite</c>, <c>circleci</c>, <c>gcp</c>), or null.</summary>
    public string? Detect()
    {
        IEnvironmentVariables env = _options.Environment;

        // GitHub Actions: the job has "permissions: id-token: write" when both variables are set.
        if (!string.IsNullOrEmpty(env.GetVariable("ACTIONS_ID_TOKEN_REQUEST_URL")) && !string.IsNullOrEmpty(env.GetVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN")))
        {
            return "github-actions";
        }

        // GitLab CI: "id_tokens: SIGSTORE_ID_TOKEN: aud: sigstore" in .gitlab-ci.yml exposes the token as a variable.
        // Outside GitLab the same variable is cosign's and sigstore-python's way to pass a token: reported as "env".
        if (!string.IsNullOrWhiteSpace(env.GetVariable(StaticTokenProvider.EnvironmentVariable)))
        {
            return string.Equals(env.GetVariable("GITLAB_CI"), "true", StringComparison.OrdinalIgnoreCase) ? "gitlab-ci" : "env";
        }

        if (string.Equals(env.GetVariable("BUILDKITE"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return "buildkite";
        }

        if (string.Equals(env.GetVariable("CIRCLECI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return "circleci";
        }

        // GCP: the metadata host variable, or the DMI product name (a local file read: cheap, never hangs).
        if (!string.IsNullOrEmpty(env.GetVariable("GCE_METADATA_HOST")) || IsGoogleProduct())
        {
            return "gcp";
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask<IdentityToken> GetTokenAsync(string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        string raw = Detect() switch
        {
            "github-actions" => await GitHubActionsAsync(audience, cancellationToken).ConfigureAwait(false),
            "gitlab-ci" or "env" => _options.Environment.GetVariable(StaticTokenProvider.EnvironmentVariable)!,
            "buildkite" => await CommandAsync("buildkite-agent", ["oidc", "request-token", "--audience", audience], cancellationToken).ConfigureAwait(false),
            "circleci" => await CommandAsync("circleci", ["run", "oidc", "get", "--claims", JsonSerializer.Serialize(new Dictionary<string, string> { ["aud"] = audience }, OidcJsonContext.Default.DictionaryStringString)], cancellationToken).ConfigureAwait(false),
            "gcp" => await GcpAsync(audience, cancellationToken).ConfigureAwait(false),
            _ => throw SigningErrors.TokenUnavailable.ToException("no ambient CI credential (GitHub Actions, GitLab CI, Buildkite, CircleCI, GCP) was detected"),
        };
        return IdentityToken.ParseValid(raw, audience, _options.TimeProvider);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private bool IsGoogleProduct()
    {
        try
        {
            var file = new FileInfo(_options.GcpProductNameFile);
            return file.Exists && file.Length < 256 && File.ReadAllText(file.FullName).Trim().StartsWith("Google", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private async Task<string> GitHubActionsAsync(string audience, CancellationToken cancellationToken)
    {
        // GitHub docs, "Configuring OpenID Connect in cloud providers": GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=...
        // with "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN"; the response is {"value": "<jwt>"}.
        string url = _options.Environment.GetVariable("ACTIONS_ID_TOKEN_REQUEST_URL")!;
        string bearer = _options.Environment.GetVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN")!;
        char separator = url.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        if (!Uri.TryCreate($"{url}{separator}audience={Uri.EscapeDataString(audience)}", UriKind.Absolute, out Uri? uri))
        {
            throw SigningErrors.AmbientTokenRequestFailed.ToException("ACTIONS_ID_TOKEN_REQUEST_URL is not an absolute URL");
        }

        (int status, GitHubTokenJson answer) = await _http.SendJsonAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { Authorization = new AuthenticationHeaderValue("bearer", bearer) } },
            OidcJsonContext.Default.GitHubTokenJson,
            SigningErrors.AmbientTokenRequestFailed,
            "the GitHub Actions token request",
            cancellationToken).ConfigureAwait(false);
        if (status is < 200 or >= 300)
        {
            throw SigningErrors.AmbientTokenRequestFailed.ToException($"the GitHub Actions token request returned HTTP {status}");
        }

        return answer.Value is { Length: > 0 } value
            ? value
            : throw SigningErrors.AmbientTokenRequestFailed.ToException("the GitHub Actions token response has no value");
    }

    private async Task<string> GcpAsync(string audience, CancellationToken cancellationToken)
    {
        // GCP docs, "Getting an ID token": the metadata server returns the token as text; Metadata-Flavor: Google is required.
        Uri baseUrl = _options.GcpMetadataBaseUrl
            ?? new Uri("http://" + (_options.Environment.GetVariable("GCE_METADATA_HOST") is { Length: > 0 } host ? host : "metadata.google.internal"));
        var uri = new Uri(baseUrl, $"/computeMetadata/v1/instance/service-accounts/default/identity?audience={Uri.EscapeDataString(audience)}&format=full");
        HttpAnswer response = await _http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Get, uri) { Headers = { { "Metadata-Flavor", "Google" } } },
            SigningErrors.AmbientTokenRequestFailed,
            "the GCP metadata server request",
            _options.GcpMetadataTimeout,
            cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw SigningErrors.AmbientTokenRequestFailed.ToException($"the GCP metadata server returned HTTP {(int)response.StatusCode}");
        }

        string token = System.Text.Encoding.UTF8.GetString(response.Body).Trim();
        return token.Length > 0 ? token : throw SigningErrors.AmbientTokenRequestFailed.ToException("the GCP metadata server returned no token");
    }

    private async Task<string> CommandAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        (int exitCode, string stdout) = await _options.CommandRunner.RunAsync(fileName, arguments, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw SigningErrors.AmbientTokenRequestFailed.ToException($"{fileName} exited with code {exitCode}");
        }

        string token = stdout.Trim();
        return token.Length > 0 ? token : throw SigningErrors.AmbientTokenRequestFailed.ToException($"{fileName} printed no token");
    }
}
