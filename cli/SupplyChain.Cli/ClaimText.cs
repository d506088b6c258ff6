using SupplyChain.Oci.Lineage;

namespace SupplyChain.Cli;

/// <summary>
/// A level's base-image claim as text, for <c>lineage</c> and <c>verify --policy</c>: the claimed base, every source that
/// made it (annotations, labels, verified provenance), and each image dependency of the level's verified provenance
/// with what became of it (issue 20).
/// </summary>
internal static class ClaimText
{
    public static void Write(LineageLevel level, string indent, TextWriter w)
    {
        if (level.Claim is { } claim)
        {
            string sources = string.Join(", ", Enum.GetValues<ClaimSource>().Where(s => claim.Sources.HasFlag(BaseImageClaim.FlagOf(s))));
            w.WriteLine($"{indent}    base claim: {claim.Name}{(claim.Digest is null ? "" : "@" + claim.Digest)} (from {sources})");
        }

        if (level.Provenance is { } provenance)
        {
            w.WriteLine($"{indent}    provenance: {provenance.Statements} verified statement(s), {provenance.Candidates.Count} image dependenc{(provenance.Candidates.Count == 1 ? "y" : "ies")}");
            foreach (BaseCandidate candidate in provenance.Candidates)
            {
                string proved = candidate.ProvedLayers > 0 ? $", proves {candidate.ProvedLayers} layer(s)" : "";
                w.WriteLine($"{indent}      {candidate.Outcome}: {candidate.Reference ?? candidate.Uri}{proved}{(candidate.Detail is null ? "" : " (" + candidate.Detail + ")")}");
            }
        }
    }
}
