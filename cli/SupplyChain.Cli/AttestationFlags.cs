using System.CommandLine;
using SupplyChain.Core.Verification;

namespace SupplyChain.Cli;

/// <summary>
/// The source and builder checks of <c>verify-blob-attestation</c> and <c>verify-attestation</c>, with
/// <c>gh attestation verify</c>'s and slsa-verifier's names: each is checked against the Fulcio certificate extensions and
/// the verified provenance (<see cref="AttestationChecker"/>). Each command owns its own instances.
/// </summary>
internal sealed class AttestationFlags
{
    private readonly Option<string> _sourceRepository = new("--source-repository") { Description = "The source repository the attestation must name (certificate extension 1.3.6.1.4.1.57264.1.12 and the provenance): https://github.com/org/repo.", HelpName = "URI" };
    private readonly Option<string> _sourceRef = new("--source-ref") { Description = "The source ref it must name (extension .14 and the provenance), e.g. refs/heads/main or refs/tags/v1.2.3.", HelpName = "REF" };
    private readonly Option<string> _sourceDigest = new("--source-digest") { Description = "The source commit it must name (extension .13 and the provenance).", HelpName = "SHA" };
    private readonly Option<string> _signerWorkflow = new("--signer-workflow") { Description = "The workflow that must have signed (Build Signer URI, extension .9): [https://]host/org/repo/.github/workflows/x.yml, any ref unless @ref is given.", HelpName = "WORKFLOW" };
    private readonly Option<string> _builderId = new("--builder-id") { Description = "The provenance's builder id (exact; without @ref any ref of it).", HelpName = "URI" };
    private readonly Option<bool> _denySelfHosted = new("--deny-self-hosted-runners") { Description = "Require a platform-hosted runner (extension .11: github-hosted, gitlab-hosted, buildkite-hosted)." };

    /// <summary>The options, in help order.</summary>
    public IReadOnlyList<Option> Options => [_sourceRepository, _sourceRef, _sourceDigest, _signerWorkflow, _builderId, _denySelfHosted];

    /// <summary>The requirements given (with the predicate type the command resolved).</summary>
    public AttestationRequirements Read(ParseResult parse, string? predicateType) => new()
    {
        PredicateType = predicateType,
        SourceRepository = parse.GetValue(_sourceRepository),
        SourceRef = parse.GetValue(_sourceRef),
        SourceDigest = parse.GetValue(_sourceDigest),
        SignerWorkflow = parse.GetValue(_signerWorkflow),
        BuilderId = parse.GetValue(_builderId),
        DenySelfHostedRunners = parse.GetValue(_denySelfHosted),
    };
}
