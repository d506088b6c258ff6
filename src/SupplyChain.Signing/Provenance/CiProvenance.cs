using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Attestations;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>Options of <see cref="CiProvenance.BuildAsync"/>.</summary>
public sealed class CiProvenanceOptions
{
    /// <summary>The environment; the process environment by default.</summary>
    public IEnvironmentVariables Environment { get; init; } = ProcessEnvironmentVariables.Instance;

    /// <summary>The HTTP transport of the GitHub Actions token request (tests); the default stack when null.</summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>The clock of the token checks.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>A self-described builder for use outside a recognised CI; null inside one.</summary>
    public SelfDescribedBuilder? SelfDescribed { get; init; }

    /// <summary>
    /// Where the builder logs, at Debug, the CI system it detected and the names of the environment variables it read
    /// (set or unset; never their values), and the GitHub Actions token request (never the token); or <see langword="null"/>.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>
/// Builds a SLSA v1 provenance predicate from the CI run this process is in: GitHub Actions (<c>GITHUB_ACTIONS=true</c>,
/// from the job's OIDC token, as <c>@actions/attest</c>), GitLab CI (<c>GITLAB_CI=true</c>), Buildkite
/// (<c>BUILDKITE=true</c>) or CircleCI (<c>CIRCLECI=true</c>); outside them from a <see cref="SelfDescribedBuilder"/>, else
/// <c>SC2020</c>. The mappings are in docs/ci.md.
/// </summary>
public static class CiProvenance
{
    /// <summary>The CI system the environment is, or <see langword="null"/>.</summary>
    /// <param name="environment">The environment.</param>
    public static string? Detect(IEnvironmentVariables environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return IsTrue(environment, "GITHUB_ACTIONS") ? "github-actions"
            : IsTrue(environment, "GITLAB_CI") ? "gitlab-ci"
            : IsTrue(environment, "BUILDKITE") ? "buildkite"
            : IsTrue(environment, "CIRCLECI") ? "circleci"
            : null;
    }

    /// <summary>Builds the predicate.</summary>
    /// <param name="options">The environment and, outside a CI, the self-described builder.</param>
    /// <param name="cancellationToken">Cancels the GitHub Actions token request.</param>
    /// <returns>The predicate.</returns>
    /// <exception cref="SupplyChain.Core.Errors.SupplyChainException">SC2020-SC2024; SC2108 when the GitHub token request fails.</exception>
    public static async Task<ProvenancePredicate> BuildAsync(CiProvenanceOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ILogger? logger = options.LoggerFactory?.CreateLogger(typeof(CiProvenance));
        var environment = new ReadRecordingEnvironment(options.Environment);
        try
        {
            string? ci = Detect(environment);
            ProvenanceLog.Detected(logger, ci, options.SelfDescribed is not null);
            if (ci is not null && options.SelfDescribed is not null)
            {
                throw SigningErrors.ProvenanceBuilderInvalid.ToException($"this is a {ci} run: its provenance comes from the CI, not from --builder-id");
            }

            return ci switch
            {
                "github-actions" => GitHubActionsProvenance.Build(await GitHubClaimsAsync(environment, options, cancellationToken).ConfigureAwait(false), environment),
                "gitlab-ci" => GitLabCiProvenance.Build(environment),
                "buildkite" => BuildkiteProvenance.Build(environment),
                "circleci" => CircleCiProvenance.Build(environment),
                _ => options.SelfDescribed is { } builder
                    ? SelfDescribed(builder)
                    : throw SigningErrors.ProvenanceNoCi.ToException("none of GITHUB_ACTIONS, GITLAB_CI, BUILDKITE, CIRCLECI is true; outside CI give --builder-id"),
            };
        }
        finally
        {
            // Also when a mapping fails (SC2021 names the missing variables; this says what was looked at).
            ProvenanceLog.VariablesRead(logger, environment);
        }
    }

    /// <summary>The predicate for a self-described builder (no CI detection).</summary>
    /// <param name="builder">The builder's description.</param>
    /// <exception cref="SupplyChain.Core.Errors.MalformedInputException">SC2023 when the builder id or build type is not an absolute URI.</exception>
    public static ProvenancePredicate SelfDescribed(SelfDescribedBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string buildType = builder.BuildType ?? SlsaProvenance.SelfDescribedBuildType;
        foreach ((string? value, string name) in new[] { (builder.BuilderId, "the builder id"), (buildType, "the build type"), (builder.SourceRepository, "the source repository") })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme.Length < 2 || value.Any(char.IsControl)))
            {
                throw SigningErrors.ProvenanceBuilderInvalid.ToException($"{name} '{value}' is not an absolute URI");
            }
        }

        var source = new JsonObject();
        GitLabCiProvenance.AddOptional(source, "repository", builder.SourceRepository);
        GitLabCiProvenance.AddOptional(source, "ref", builder.SourceRef);
        JsonObject predicate = SlsaV1Predicate.Create(
            buildType,
            new JsonObject { ["source"] = source },
            null,
            builder.SourceRepository,
            builder.SourceRef,
            builder.SourceDigest?.ToLowerInvariant(),
            builder.BuilderId,
            builder.InvocationId);
        return new ProvenancePredicate("self-described", buildType, predicate);
    }

    private static async Task<IReadOnlyDictionary<string, string>> GitHubClaimsAsync(ReadRecordingEnvironment environment, CiProvenanceOptions options, CancellationToken cancellationToken)
    {
        // @actions/attest builds the predicate from the job's OIDC token claims (getIDTokenClaims), fetched from
        // ACTIONS_ID_TOKEN_REQUEST_URL; without "permissions: id-token: write" the variables are absent.
        if (string.IsNullOrEmpty(environment.GetVariable("ACTIONS_ID_TOKEN_REQUEST_URL")) || string.IsNullOrEmpty(environment.GetVariable("ACTIONS_ID_TOKEN_REQUEST_TOKEN")))
        {
            throw SigningErrors.ProvenanceTokenUnavailable.ToException("ACTIONS_ID_TOKEN_REQUEST_URL or ACTIONS_ID_TOKEN_REQUEST_TOKEN is unset");
        }

        // Only the GitHub Actions source may answer: an ambient provider restricted to this environment.
        using var provider = new AmbientTokenProvider(new AmbientTokenProviderOptions
        {
            Environment = new GitHubOnlyEnvironment(environment),
            Transport = options.Transport,
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
        });
        IdentityToken token = await provider.GetTokenAsync("sigstore", cancellationToken).ConfigureAwait(false);
        return CiValues.ClaimsOf(token.RawToken);
    }

    private static bool IsTrue(IEnvironmentVariables environment, string name) =>
        string.Equals(environment.GetVariable(name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The environment with only the GitHub Actions token variables visible (no fallback to another source).</summary>
    private sealed class GitHubOnlyEnvironment(IEnvironmentVariables inner) : IEnvironmentVariables
    {
        public string? GetVariable(string name) => name is "ACTIONS_ID_TOKEN_REQUEST_URL" or "ACTIONS_ID_TOKEN_REQUEST_TOKEN" ? inner.GetVariable(name) : null;
    }
}
