using System.Text.Json;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Attestations;

/// <summary>
/// What a SLSA provenance predicate says about its build, read for verification: the build type, the builder id,
/// the source (repository, ref, commit) and the runner environment. Reads SLSA v1 (slsa.dev/spec/v1.0/provenance:
/// <c>buildDefinition.resolvedDependencies</c>, <c>runDetails.builder.id</c>) and v0.2 (<c>builder.id</c>,
/// <c>invocation.configSource</c>). Absent facts are <see langword="null"/>; a predicate without the structure its type
/// defines is <c>SC1630</c>.
/// </summary>
public sealed class SlsaProvenance
{
    /// <summary>The SLSA v1 predicate type.</summary>
    public const string PredicateTypeV1 = "https://slsa.dev/provenance/v1";

    /// <summary>The SLSA v0.2 predicate type.</summary>
    public const string PredicateTypeV02 = "https://slsa.dev/provenance/v0.2";

    /// <summary>The build type <c>@actions/attest</c> writes (actions/attest-build-provenance): builder id = the signing workflow.</summary>
    public const string GitHubActionsWorkflowBuildType = "https://actions.github.io/buildtypes/workflow/v1";

    /// <summary>The build type npm writes for provenance from GitHub Actions: builder id = the runner kind.</summary>
    public const string SlsaGitHubActionsWorkflowBuildType = "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1";

    /// <summary>This project's GitLab CI build type (docs/ci.md): builder id = the pipeline definition that signed.</summary>
    public const string GitLabCiBuildType = "https://supplychain.dev/buildtypes/gitlab-ci/v1";

    /// <summary>This project's Buildkite build type (docs/ci.md): builder id = the pipeline.</summary>
    public const string BuildkiteBuildType = "https://supplychain.dev/buildtypes/buildkite/v1";

    /// <summary>This project's CircleCI build type (docs/ci.md): builder id = the project's job.</summary>
    public const string CircleCiBuildType = "https://supplychain.dev/buildtypes/circleci/v1";

    /// <summary>This project's build type for a builder described by flags outside a recognised CI (docs/ci.md).</summary>
    public const string SelfDescribedBuildType = "https://supplychain.dev/buildtypes/self-described/v1";

    private SlsaProvenance(string predicateType)
    {
        PredicateType = predicateType;
    }

    /// <summary>The predicate type (v1 or v0.2).</summary>
    public string PredicateType { get; }

    /// <summary>The build type URI.</summary>
    public string? BuildType { get; private init; }

    /// <summary>The builder id (<c>runDetails.builder.id</c>, v0.2 <c>builder.id</c>).</summary>
    public string? BuilderId { get; private init; }

    /// <summary>The source repository URI, without the <c>git+</c> prefix and <c>@ref</c> suffix.</summary>
    public string? SourceRepository { get; private init; }

    /// <summary>The source ref (<c>refs/heads/main</c>, <c>refs/tags/v1</c>).</summary>
    public string? SourceRef { get; private init; }

    /// <summary>The source commit (<c>gitCommit</c>, else <c>sha1</c>), lowercase hex.</summary>
    public string? SourceDigest { get; private init; }

    /// <summary>The runner environment (<c>github-hosted</c>, <c>self-hosted</c>, ...), when the predicate states it.</summary>
    public string? RunnerEnvironment { get; private init; }

    /// <summary>The invocation id (<c>runDetails.metadata.invocationId</c>), when present.</summary>
    public string? InvocationId { get; private init; }

    /// <summary>Whether the build type's builder id names the workflow (pipeline) that signed, so that it must equal the certificate's Build Signer URI.</summary>
    public bool BuilderIdIsSigner => BuildType is GitHubActionsWorkflowBuildType or GitLabCiBuildType;

    /// <summary>Whether <paramref name="predicateType"/> is a SLSA provenance type this reader understands.</summary>
    /// <param name="predicateType">An in-toto predicate type.</param>
    public static bool IsProvenance(string? predicateType) => predicateType is PredicateTypeV1 or PredicateTypeV02;

    /// <summary>Reads the provenance of <paramref name="statement"/>.</summary>
    /// <param name="statement">A statement whose predicate type is SLSA v1 or v0.2.</param>
    /// <returns>The facts the predicate states.</returns>
    /// <exception cref="MalformedInputException">SC1630 when the predicate lacks its type's structure.</exception>
    public static SlsaProvenance Read(InTotoStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        if (!IsProvenance(statement.PredicateType))
        {
            throw CoreErrors.ProvenancePredicateMalformed.ToException($"predicate type '{statement.PredicateType}' is not SLSA provenance v1 or v0.2");
        }

        if (statement.Predicate is not { ValueKind: JsonValueKind.Object } predicate)
        {
            throw CoreErrors.ProvenancePredicateMalformed.ToException("the predicate is not a JSON object");
        }

        return statement.PredicateType == PredicateTypeV1
            ? ReadV1(Deserialize(predicate, AttestationJsonContext.Default.SlsaV1PredicateJson))
            : ReadV02(Deserialize(predicate, AttestationJsonContext.Default.SlsaV02PredicateJson));
    }

    /// <summary>The predicate as its DTO: a member of the wrong JSON type is SC1630, as a missing one is.</summary>
    private static T Deserialize<T>(JsonElement predicate, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return predicate.Deserialize(type) ?? throw CoreErrors.ProvenancePredicateMalformed.ToException("the predicate is not a JSON object");
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw CoreErrors.ProvenancePredicateMalformed.ToException("the predicate does not have its type's structure", ex);
        }
    }

    // SLSA v1: "buildDefinition (BuildDefinition, required)", "runDetails (RunDetails, required)";
    // BuildDefinition.buildType required; RunDetails.builder required, Builder.id required.
    private static SlsaProvenance ReadV1(SlsaV1PredicateJson predicate)
    {
        SlsaBuildDefinitionJson definition = predicate.BuildDefinition ?? throw MissingObject("buildDefinition");
        SlsaRunDetailsJson run = predicate.RunDetails ?? throw MissingObject("runDetails");
        string buildType = RequiredString(definition.BuildType, "buildType");
        string builderId = RequiredString((run.Builder ?? throw MissingObject("builder")).Id, "id");
        (string? repository, string? gitRef, string? digest) = SourceOf(definition);
        string? runner = null;

        // internalParameters is the build type's own object: each section may state a runner_environment string.
        JsonElement internalParameters = definition.InternalParameters;
        if (internalParameters.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty section in internalParameters.EnumerateObject())
            {
                if (section.Value.ValueKind == JsonValueKind.Object && OptionalString(section.Value, "runner_environment") is { } r)
                {
                    runner = r;
                }
            }
        }
        else if (internalParameters.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw CoreErrors.ProvenancePredicateMalformed.ToException("'internalParameters' is not an object");
        }

        // The SLSA GitHub Actions build type encodes the runner in the builder id (.../actions/runner/github-hosted).
        if (runner is null && buildType == SlsaGitHubActionsWorkflowBuildType)
        {
            runner = builderId.EndsWith("/github-hosted", StringComparison.Ordinal) ? "github-hosted"
                : builderId.EndsWith("/self-hosted", StringComparison.Ordinal) ? "self-hosted" : null;
        }

        return new SlsaProvenance(PredicateTypeV1)
        {
            BuildType = buildType,
            BuilderId = builderId,
            SourceRepository = repository,
            SourceRef = gitRef,
            SourceDigest = digest,
            RunnerEnvironment = runner,
            InvocationId = run.Metadata?.InvocationId,
        };
    }

    // SLSA v0.2: "builder.id (string (TypeURI), required)", "buildType (string (TypeURI), required)";
    // invocation.configSource { uri, digest, entryPoint }.
    private static SlsaProvenance ReadV02(SlsaV02PredicateJson predicate)
    {
        string builderId = RequiredString((predicate.Builder ?? throw MissingObject("builder")).Id, "id");
        string buildType = RequiredString(predicate.BuildType, "buildType");
        string? repository = null, gitRef = null, digest = null;
        if (predicate.Invocation?.ConfigSource is { } source)
        {
            (repository, gitRef) = SplitGitUri(source.Uri);
            digest = DigestOf(source);
        }

        return new SlsaProvenance(PredicateTypeV02)
        {
            BuildType = buildType,
            BuilderId = builderId,
            SourceRepository = repository,
            SourceRef = gitRef,
            SourceDigest = digest,
        };
    }

    /// <summary>The first resolved dependency that is a git source (<c>git+URI@REF</c>), as @actions/attest and npm write it.</summary>
    private static (string? Repository, string? Ref, string? Digest) SourceOf(SlsaBuildDefinitionJson definition)
    {
        foreach (SlsaResourceJson? dependency in definition.ResolvedDependencies ?? [])
        {
            if (dependency is null)
            {
                throw CoreErrors.ProvenancePredicateMalformed.ToException("a resolved dependency is not an object");
            }

            (string? repository, string? gitRef) = SplitGitUri(dependency.Uri);
            if (repository is not null)
            {
                return (repository, gitRef, DigestOf(dependency));
            }
        }

        return (null, null, null);
    }

    private static string? DigestOf(SlsaResourceJson resource) =>
        (resource.Digest?.GitCommit ?? resource.Digest?.Sha1)?.ToLowerInvariant();

    /// <summary>Splits <c>git+https://host/org/repo@refs/heads/main</c> into the repository URI and the ref.</summary>
    internal static (string? Repository, string? Ref) SplitGitUri(string? uri)
    {
        if (uri is null || !uri.StartsWith("git+", StringComparison.Ordinal))
        {
            return (null, null);
        }

        string rest = uri[4..];

        // The ref follows the last '@' after the authority ("git+ssh://git@host/..." has one before it).
        int authority = rest.IndexOf("://", StringComparison.Ordinal);
        int path = authority < 0 ? 0 : rest.IndexOf('/', authority + 3);
        int at = rest.LastIndexOf('@');
        return at > path && path >= 0 ? (rest[..at], rest[(at + 1)..]) : (rest, null);
    }

    private static SupplyChainException MissingObject(string name) =>
        CoreErrors.ProvenancePredicateMalformed.ToException($"'{name}' is missing or not an object");

    private static string RequiredString(string? value, string name) =>
        value is { Length: > 0 }
            ? value
            : throw CoreErrors.ProvenancePredicateMalformed.ToException($"'{name}' is missing or not a non-empty string");

    private static string? OptionalString(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw CoreErrors.ProvenancePredicateMalformed.ToException($"'{name}' is not a string");
    }
}
