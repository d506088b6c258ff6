using SupplyChain.Core.Errors;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>A signature the fake holds as already verified cryptographically: a certificate identity, or a key (its SubjectPublicKeyInfo).</summary>
public sealed record FakeSignature(string? Subject, string? Issuer, byte[]? KeySpki)
{
    public static FakeSignature Keyless(string subject, string issuer) => new(subject, issuer, null);

    public static FakeSignature Key(byte[] spki) => new(null, null, spki);

    public string Display => KeySpki is null ? $"{Subject} ({Issuer})" : "key";

    /// <summary>Applies the authority's Core verification policy to this signer, as the signature layer will.</summary>
    public bool Satisfies(PolicyAuthority authority) => KeySpki is null
        ? authority.Policy.Identities.Any(i => i.SubjectAlternativeName.Matches(Subject) && i.Issuer.Matches(Issuer))
        : authority.Policy.PublicKey?.HasSameKey(KeySpki) == true;
}

/// <summary>
/// An in-memory <see cref="ISignatureEvidenceSource"/>: signatures and attestations per digest (a signature on an index
/// covers the manifests resolved from it), matched against the authorities with Core's identity matchers and key
/// comparison. Records every subject asked about.
/// </summary>
public sealed class FakeEvidence : ISignatureEvidenceSource
{
    private readonly Dictionary<string, List<FakeSignature>> _signatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string PredicateType, FakeSignature Signer)>> _attestations = new(StringComparer.Ordinal);

    public List<EvidenceSubject> Asked { get; } = [];

    public Func<EvidenceSubject, SupplyChainException?>? Fail { get; set; }

    public void Sign(string digest, FakeSignature signer) => Add(_signatures, digest).Add(signer);

    public void Attest(string digest, string predicateType, FakeSignature signer) => Add(_attestations, digest).Add((predicateType, signer));

    public Task<SignatureEvidence> GetSignaturesAsync(EvidenceSubject subject, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default)
    {
        Asked.Add(subject);
        if (Fail?.Invoke(subject) is { } error)
        {
            throw error;
        }

        var found = Digests(subject).SelectMany(d => (_signatures.TryGetValue(d, out var s) ? s : []).Select(sig => (Digest: d, Signature: sig))).ToList();
        var verified = found
            .SelectMany(f => authorities.Where(f.Signature.Satisfies).Select(a => new VerifiedSigner(a.Name, f.Signature.Display, f.Digest)))
            .ToList();
        return Task.FromResult(new SignatureEvidence(found.Count, verified));
    }

    public Task<IReadOnlyList<VerifiedAttestation>> GetAttestationsAsync(EvidenceSubject subject, string predicateType, IReadOnlyList<PolicyAuthority> authorities, CancellationToken cancellationToken = default)
    {
        var verified = Digests(subject)
            .SelectMany(d => (_attestations.TryGetValue(d, out var a) ? a : []).Select(att => (Digest: d, Attestation: att)))
            .Where(f => f.Attestation.PredicateType == predicateType)
            .SelectMany(f => authorities.Where(f.Attestation.Signer.Satisfies)
                .Select(a => new VerifiedAttestation(predicateType, a.Name, f.Attestation.Signer.Display, f.Digest)))
            .ToList();
        return Task.FromResult<IReadOnlyList<VerifiedAttestation>>(verified);
    }

    private static IEnumerable<string> Digests(EvidenceSubject subject) =>
        subject.IndexDigest is null ? [subject.Digest] : [subject.Digest, subject.IndexDigest];

    private static List<T> Add<T>(Dictionary<string, List<T>> map, string digest)
    {
        if (!map.TryGetValue(digest, out List<T>? list))
        {
            map[digest] = list = [];
        }

        return list;
    }
}
