using System.CommandLine;
using Microsoft.Extensions.Logging;
using SupplyChain.Signing.Provenance;

namespace SupplyChain.Cli;

/// <summary>
/// <c>--provenance</c> and the self-described builder flags of <c>attest-blob</c> and <c>attest</c>: build a SLSA v1
/// provenance predicate from the CI run (GitHub Actions, GitLab CI, Buildkite, CircleCI; docs/ci.md) instead of reading
/// <c>--predicate</c>; outside CI, <c>--builder-id</c> (with <c>--build-type</c> and the <c>--source-*</c> flags) describes
/// the builder. Each command owns its own instances.
/// </summary>
internal sealed class ProvenanceFlags
{
    private readonly Option<bool> _provenance = new("--provenance") { Description = "Build a SLSA v1 provenance predicate from the CI run (GitHub Actions, GitLab CI, Buildkite, CircleCI; docs/ci.md) instead of --predicate." };
    private readonly Option<string> _builderId = new("--builder-id") { Description = "With --provenance outside a recognised CI: the builder id (an absolute URI) of a self-described builder.", HelpName = "URI" };
    private readonly Option<string> _buildType = new("--build-type") { Description = "With --builder-id: the build type URI (default https://supplychain.dev/buildtypes/self-described/v1).", HelpName = "URI" };
    private readonly Option<string> _sourceRepository = new("--source-repository") { Description = "With --builder-id: the source repository URI the build used.", HelpName = "URI" };
    private readonly Option<string> _sourceRef = new("--source-ref") { Description = "With --builder-id: the source ref (refs/heads/main).", HelpName = "REF" };
    private readonly Option<string> _sourceDigest = new("--source-digest") { Description = "With --builder-id: the source commit (hex).", HelpName = "SHA" };
    private readonly ILoggerFactory? _loggers;

    /// <summary>Creates the flags.</summary>
    /// <param name="loggers">Where the provenance builder logs the CI system and the variable names it read (stderr, with --debug).</param>
    public ProvenanceFlags(ILoggerFactory? loggers = null) => _loggers = loggers;

    /// <summary>The options, in help order.</summary>
    public IReadOnlyList<Option> Options => [_provenance, _builderId, _buildType, _sourceRepository, _sourceRef, _sourceDigest];

    /// <summary>Whether <c>--provenance</c> was given.</summary>
    public bool Requested(ParseResult parse) => parse.GetValue(_provenance);

    /// <summary>Checks the combinations (no I/O): builder flags only with <c>--provenance</c>, the source flags only with <c>--builder-id</c>.</summary>
    public void Validate(ParseResult parse)
    {
        bool builder = parse.GetValue(_builderId) is not null;
        if (!Requested(parse) && builder)
        {
            throw CliErrors.Usage.ToException("--builder-id needs --provenance");
        }

        foreach (Option option in new Option[] { _buildType, _sourceRepository, _sourceRef, _sourceDigest })
        {
            if (!builder && parse.GetResult(option) is { Implicit: false })
            {
                throw CliErrors.Usage.ToException($"{option.Name} describes a self-described builder and needs --builder-id (in CI the provenance comes from the CI)");
            }
        }
    }

    /// <summary>Builds the predicate from the environment (the CI run) or the self-described builder flags.</summary>
    public async Task<ProvenancePredicate> BuildAsync(ParseResult parse, IPasswordSource environment, TextWriter stderr, CancellationToken cancellationToken)
    {
        SelfDescribedBuilder? builder = parse.GetValue(_builderId) is { } id
            ? new SelfDescribedBuilder
            {
                BuilderId = id,
                BuildType = parse.GetValue(_buildType),
                SourceRepository = parse.GetValue(_sourceRepository),
                SourceRef = parse.GetValue(_sourceRef),
                SourceDigest = parse.GetValue(_sourceDigest),
            }
            : null;
        ProvenancePredicate predicate = await CiProvenance.BuildAsync(
            new CiProvenanceOptions
            {
                Environment = new SigningFlags.PasswordSourceEnvironment(environment),
                SelfDescribed = builder,
                LoggerFactory = _loggers,
            },
            cancellationToken).ConfigureAwait(false);
        stderr.WriteLine($"Provenance: SLSA v1 from {predicate.CiSystem} (build type {predicate.BuildType})");
        return predicate;
    }
}
