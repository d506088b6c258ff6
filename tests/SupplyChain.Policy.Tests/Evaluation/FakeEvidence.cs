using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evidence;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Tests.Evaluation;

/// <summary>A signature the fake holds as already verified cryptographically: a certificate identity, or a key (its SubjectPublicKeyInfo).</summary>
public sealed record FakeSignature(string? Subject, string? Issuer, byte[]? KeySpki)
{
    public static FakeSignature Keyless(string subject, string issuer) => new(subject, issuer, null);

    public static FakeSignature Key(byte[] spki) => new(null, null, spki);

    public string Display => KeySpki is null ? $"{Subject} ({Issuer})" : "key";

    /// <summary>Distinct signers: by certificate identity, or by key.</summary>
    public string SignerId => KeySpki is null ? $"identity:{Subject}|{Issuer}" : "key:" + Convert.ToHexStringLower(KeySpki);

    /// <summary>Applies the authority's Core verification policy to this signer, as the signature layer will.</summary>
    public bool Satisfies(PolicyAuthority authority) => KeySpki is null
        ? authority.Policy.Identities.Any(i => i.SubjectAlternativeName.Matches(Subject) && i.Issuer.Matches(Issuer))
        : authority.Policy.PublicKey?.HasSameKey(KeySpki) == true;
}

/// <summary>
/// An in-memory <see cref="ISignatureEvidenceSource"/>: signatures and attestations per digest, matched against each
/// authority with Core's identity matchers and key comparison, as the signature layer does. Records every digest
/// collected (image signatures only: <see cref="Asked"/>) and how often each (digest, type) was collected.
/// </summary>
public sealed class FakeEvidence : ISignatureEvidenceSource
{
    private readonly Dictionary<string, List<FakeSignature>> _signatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string PredicateType, FakeSignature Signer)>> _attestations = new(StringComparer.Ordinal);

    /// <summary>The subjects whose image signatures were collected, in order.</summary>
    public List<ImageReference> Asked { get; } = [];

    /// <summary>Every collection, signatures and attestations: (digest, predicate type or null).</summary>
    public List<(string Digest, string? PredicateType)> Collected { get; } = [];

    public Func<ImageReference, SupplyChainException?>? Fail { get; set; }

    public void Sign(string digest, FakeSignature signer) => Add(_signatures, digest).Add(signer);

    public void Attest(string digest, string predicateType, FakeSignature signer) => Add(_attestations, digest).Add((predicateType, signer));

    public Task<IDigestEvidence> CollectAsync(ImageReference subject, string? predicateType, CancellationToken cancellationToken = default)
    {
        string digest = subject.Digest!;
        Collected.Add((digest, predicateType));
        if (predicateType is null)
        {
            Asked.Add(subject);
        }

        if (Fail?.Invoke(subject) is { } error)
        {
            throw error;
        }

        List<FakeSignature> found = predicateType is null
            ? (_signatures.TryGetValue(digest, out var s) ? s : [])
            : (_attestations.TryGetValue(digest, out var a) ? a : []).Where(x => x.PredicateType == predicateType).Select(x => x.Signer).ToList();
        return Task.FromResult<IDigestEvidence>(new Evidence(digest, found));
    }

    private static List<T> Add<T>(Dictionary<string, List<T>> map, string digest)
    {
        if (!map.TryGetValue(digest, out List<T>? list))
        {
            map[digest] = list = [];
        }

        return list;
    }

    private sealed class Evidence(string digest, List<FakeSignature> found) : IDigestEvidence
    {
        public string Digest => digest;

        public int Found => found.Count;

        public EvidenceMatch Match(PolicyAuthority authority) => new(
            found.Where(f => f.Satisfies(authority)).Select(f => new EvidenceSigner(f.SignerId, f.Display, digest)).DistinctBy(e => e.SignerId).ToList(),
            []);
    }
}
