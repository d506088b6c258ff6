using System.Collections.Concurrent;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// Checks one level's signatures and attestations against its rule, for one evaluation: the evidence of each
/// (repository, digest, predicate type) is gathered once and shared by every authority, level and platform that asks
/// (issue 13: each bundle is downloaded and parsed at most once per evaluation). A level's evidence is its platform
/// manifest's, plus the index it was resolved from (a signature on the index covers the manifests it lists; a signature
/// on a manifest never covers the index or another platform). Thresholds count distinct signers (<see cref="SignerMatching"/>).
/// </summary>
internal sealed class LevelEvidence(ISignatureEvidenceSource source)
{
    private readonly ConcurrentDictionary<(string Repository, string Digest, string? PredicateType), Task<IDigestEvidence>> _collected = new();

    /// <summary>Fills <paramref name="verdict"/>'s signers, attestations and rejections; throws the denial. Returns whether the index digest alone carries the rule's signatures.</summary>
    public async Task<bool> CheckAsync(PolicyLevelVerdict verdict, LineageLevel level, PolicyRule rule, CancellationToken cancellationToken)
    {
        IReadOnlyList<IDigestEvidence> signatures = await CollectAsync(level, null, cancellationToken).ConfigureAwait(false);
        (IReadOnlyList<(PolicyAuthority Authority, EvidenceSigner Signer)> signers, IReadOnlyList<RejectedSignature> rejected) = Satisfy(signatures, rule.Authorities);
        verdict.Signers = signers.Select(p => new VerifiedSigner(p.Authority.Name, p.Signer.Identity, p.Signer.SignedDigest)).ToList();
        verdict.Rejected = rejected;
        if (signers.Count < rule.Threshold)
        {
            // A signature left unread because the evaluation's read budget ran out is not an invalid signature: the
            // denial says so (SC4020), so an operator raises the budget rather than hunts for a bad signature.
            if (rejected.FirstOrDefault(r => r.Code == Oci.OciErrors.ReadBudgetExhausted.Code) is { } unread)
            {
                throw Oci.OciErrors.ReadBudgetExhausted.ToException($"{level.Reference}: {unread.Location} was not read ({signers.Count} distinct signer(s) of the {rule.Threshold} required of rule {rule.Name} before the budget ran out)");
            }

            int found = signatures.Sum(e => e.Found);
            throw found == 0
                ? PolicyErrors.ImageUnsigned.ToException($"{level.Reference} (rule {rule.Name})")
                : PolicyErrors.SignersInsufficient.ToException(
                    $"{level.Reference}: {found} signature(s) found, {signers.Count} distinct signer(s) for the {rule.Threshold} required of the authorities of rule {rule.Name}");
        }

        var attestations = new List<VerifiedAttestation>();
        foreach (AttestationRequirement requirement in rule.Attestations)
        {
            IReadOnlyList<IDigestEvidence> evidence = await CollectAsync(level, requirement.PredicateType, cancellationToken).ConfigureAwait(false);
            var unmet = new List<RejectedSignature>();
            (IReadOnlyList<(PolicyAuthority Authority, EvidenceSigner Signer)> attested, IReadOnlyList<RejectedSignature> unusable) = Satisfy(evidence, requirement.Authorities, requirement.Conditions, unmet);
            attestations.AddRange(attested.Select(p => new VerifiedAttestation(requirement.PredicateType, p.Authority.Name, p.Signer.Identity, p.Signer.SignedDigest)));
            verdict.Attestations = attestations;
            verdict.Rejected = [.. verdict.Rejected, .. unmet.DistinctBy(r => r.Location + r.Reason, StringComparer.Ordinal)];
            if (attested.Count < requirement.Threshold)
            {
                if (unusable.FirstOrDefault(r => r.Code == Oci.OciErrors.ReadBudgetExhausted.Code) is { } unread)
                {
                    throw Oci.OciErrors.ReadBudgetExhausted.ToException($"{level.Reference}: {requirement.PredicateType} attestation {unread.Location} was not read before the budget ran out");
                }

                // Attestations that verified but say the wrong thing (another repository, a self-hosted runner) are not "missing".
                throw unmet.Count > 0
                    ? PolicyErrors.AttestationConditionsUnmet.ToException(
                        $"{level.Reference}: {requirement.PredicateType} meeting the conditions of rule {rule.Name} signed by {attested.Count} distinct signer(s) of the {requirement.Threshold} required; {unmet[0].Reason}")
                    : PolicyErrors.AttestationMissing.ToException(
                        $"{level.Reference}: {requirement.PredicateType} signed by {attested.Count} distinct signer(s) of the {requirement.Threshold} required of rule {rule.Name}");
            }
        }

        // The index's annotations are covered only when the index digest itself carries the required signatures.
        return level.IndexDigest is not null && Satisfy([signatures[^1]], rule.Authorities).Signers.Count >= rule.Threshold;
    }

    /// <summary>
    /// The image dependencies of the level's verified SLSA provenance (v1 and v0.2), under the level's own rule: a statement
    /// counts when one of the rule's authorities accepts its signer (those of the rule's attestation requirement for the
    /// type, when it has one) and it meets that requirement's conditions (source, builder). The evidence is the one
    /// <see cref="CheckAsync"/> gathers (shared, each attestation fetched and verified once); a statement without verified
    /// content (a key-signed attestation without a log entry) names nothing. <c>null</c> when no statement counts.
    /// </summary>
    public async Task<ProvenanceDependencies?> ProvenanceAsync(LineageLevel level, PolicyRule rule, CancellationToken cancellationToken)
    {
        var statements = new List<Core.Attestations.InTotoStatement>();
        foreach (string predicateType in (string[])[Core.Attestations.SlsaProvenance.PredicateTypeV1, Core.Attestations.SlsaProvenance.PredicateTypeV02])
        {
            AttestationRequirement? requirement = rule.Attestations.FirstOrDefault(a => a.PredicateType == predicateType);
            foreach (IDigestEvidence digest in await CollectAsync(level, predicateType, cancellationToken).ConfigureAwait(false))
            {
                foreach (PolicyAuthority authority in requirement?.Authorities ?? rule.Authorities)
                {
                    EvidenceMatch match = digest.Match(authority);
                    foreach (EvidenceSigner signer in match.Verified ?? match.Signers)
                    {
                        if (signer.Details?.Statement is { } statement && statement.PredicateType == predicateType
                            && requirement?.Conditions?.Unmet(signer.Details) is null && !statements.Contains(statement))
                        {
                            statements.Add(statement);
                        }
                    }
                }
            }
        }

        return statements.Count == 0 ? null : ProvenanceDependencies.Read(statements);
    }

    private async Task<IReadOnlyList<IDigestEvidence>> CollectAsync(LineageLevel level, string? predicateType, CancellationToken cancellationToken)
    {
        var result = new List<IDigestEvidence> { await GetAsync(level.Reference, level.Digest, predicateType, cancellationToken).ConfigureAwait(false) };
        if (level.IndexDigest is { } index)
        {
            result.Add(await GetAsync(level.Reference, index, predicateType, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    private Task<IDigestEvidence> GetAsync(ImageReference repository, string digest, string? predicateType, CancellationToken cancellationToken) =>
        _collected.GetOrAdd(
            (repository.Registry + "/" + repository.Repository, digest, predicateType),
            _ => source.CollectAsync(repository.WithDigest(digest), predicateType, cancellationToken));

    /// <summary>
    /// The authorities satisfied by distinct signers (a maximum matching), and the signatures no authority accepted:
    /// those every authority rejected, reported with the first authority's code.
    /// </summary>
    private static (IReadOnlyList<(PolicyAuthority Authority, EvidenceSigner Signer)> Signers, IReadOnlyList<RejectedSignature> Rejected) Satisfy(IReadOnlyList<IDigestEvidence> evidence, IReadOnlyList<PolicyAuthority> authorities) =>
        Satisfy(evidence, authorities, null, null);

    /// <summary>
    /// With <paramref name="conditions"/>, an authority accepts only the verified attestations that meet them (each signature
    /// judged on its own verified content, before signers are made distinct); the others go to <paramref name="unmet"/>.
    /// </summary>
    private static (IReadOnlyList<(PolicyAuthority Authority, EvidenceSigner Signer)> Signers, IReadOnlyList<RejectedSignature> Rejected) Satisfy(IReadOnlyList<IDigestEvidence> evidence, IReadOnlyList<PolicyAuthority> authorities, AttestationConditions? conditions, List<RejectedSignature>? unmet)
    {
        if (conditions is not null)
        {
            evidence = evidence.Select(e => (IDigestEvidence)new ConditionedEvidence(e, conditions, unmet!)).ToList();
        }

        var accepts = new List<(PolicyAuthority, IReadOnlyList<EvidenceSigner>)>(authorities.Count);
        var rejected = new List<RejectedSignature>();
        foreach (IDigestEvidence digest in evidence)
        {
            var matches = authorities.Select(digest.Match).ToList();
            rejected.AddRange(matches.Count == 0 ? [] : matches[0].Rejected.Where(r => matches.All(m => m.Rejected.Any(o => o.Location == r.Location))));
            for (int i = 0; i < authorities.Count; i++)
            {
                if (accepts.Count <= i)
                {
                    accepts.Add((authorities[i], matches[i].Signers));
                }
                else
                {
                    accepts[i] = (authorities[i], accepts[i].Item2.Concat(matches[i].Signers).DistinctBy(s => s.SignerId, StringComparer.Ordinal).ToList());
                }
            }
        }

        return (SignerMatching.Match(accepts), rejected);
    }

    /// <summary>One digest's evidence seen through attestation conditions.</summary>
    private sealed class ConditionedEvidence(IDigestEvidence inner, AttestationConditions conditions, List<RejectedSignature> unmet) : IDigestEvidence
    {
        public string Digest => inner.Digest;

        public int Found => inner.Found;

        public EvidenceMatch Match(PolicyAuthority authority)
        {
            EvidenceMatch match = inner.Match(authority);
            var accepted = new List<EvidenceSigner>();
            foreach (EvidenceSigner signer in match.Verified ?? match.Signers)
            {
                if (conditions.Unmet(signer.Details) is { } reason)
                {
                    lock (unmet)
                    {
                        unmet.Add(new RejectedSignature($"{signer.SignedDigest} attestation by {signer.Identity}", PolicyErrors.AttestationConditionsUnmet.Code, reason));
                    }
                }
                else
                {
                    accepted.Add(signer);
                }
            }

            return new EvidenceMatch(accepted.DistinctBy(s => s.SignerId, StringComparer.Ordinal).ToList(), match.Rejected);
        }
    }
}
