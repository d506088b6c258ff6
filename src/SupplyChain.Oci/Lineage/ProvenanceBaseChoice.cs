namespace SupplyChain.Oci.Lineage;

/// <summary>What became of one image dependency of a level's verified provenance.</summary>
public enum BaseCandidateOutcome
{
    /// <summary>It proved the longest layer prefix of the child: it is the base the provenance claims.</summary>
    Chosen,

    /// <summary>It proved a shorter prefix than the chosen one (an earlier stage's base, say).</summary>
    ProvedShorter,

    /// <summary>Its <c>rootfs.diff_ids</c> are not a prefix of the child's (a build stage whose files were copied, a tool), or it has no layers.</summary>
    NotProved,

    /// <summary>It names another platform than the child's, or is an index without the child's platform.</summary>
    OtherPlatform,

    /// <summary>No rule or trusted root covers its repository: it was not requested (trust before network).</summary>
    NotCovered,

    /// <summary>It is not in the registry.</summary>
    Missing,

    /// <summary>It names an image that cannot be located (SC4650).</summary>
    Unusable,
}

/// <summary>One image dependency of a level's verified provenance, and what the walk made of it.</summary>
/// <param name="Uri">The dependency's <c>uri</c> as written.</param>
/// <param name="Reference">Where it was (or would have been) fetched, <c>registry/repository[:tag]@digest</c>; <c>null</c> when unusable.</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="ProvedLayers">For a proved candidate, how many of the child's layers it accounts for; else 0.</param>
/// <param name="Detail">Why it was not chosen (with a code where one applies), or <c>null</c>.</param>
public sealed record BaseCandidate(string Uri, string? Reference, BaseCandidateOutcome Outcome, int ProvedLayers, string? Detail);

/// <summary>
/// How a level's base was selected from its verified provenance: every image dependency with its outcome, and the chosen
/// one (the candidate whose layers are the longest proved prefix of the child's), recorded on the level.
/// </summary>
public sealed class ProvenanceBaseChoice
{
    internal ProvenanceBaseChoice(int statements, IReadOnlyList<BaseCandidate> candidates)
    {
        Statements = statements;
        Candidates = candidates;
    }

    /// <summary>How many verified provenance statements named the candidates.</summary>
    public int Statements { get; }

    /// <summary>Every image dependency, in the order the provenance lists them.</summary>
    public IReadOnlyList<BaseCandidate> Candidates { get; }

    /// <summary>The chosen candidate, or <c>null</c> when none proved (the provenance then claims no base).</summary>
    public BaseCandidate? Chosen => Candidates.FirstOrDefault(c => c.Outcome == BaseCandidateOutcome.Chosen);

    /// <summary>
    /// Whether every candidate of the child's platform was fetched and judged: none was left unrequested (no rule covers
    /// it), missing, or unusable. Only a complete choice without a chosen candidate backs a <c>scratch</c> claim.
    /// </summary>
    public bool Complete => Candidates.All(c => c.Outcome is not (BaseCandidateOutcome.NotCovered or BaseCandidateOutcome.Missing or BaseCandidateOutcome.Unusable));
}
