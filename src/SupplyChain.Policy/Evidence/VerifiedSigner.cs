namespace SupplyChain.Policy.Evidence;

/// <summary>A verified signature (or attestation) and the authority it satisfied.</summary>
public class VerifiedSigner
{
    /// <summary>Creates a verified signer.</summary>
    /// <param name="authorityName">The name of the rule's authority the signature satisfied.</param>
    /// <param name="identity">Who signed, for display: <c>subject (issuer)</c> of a certificate, or the key's fingerprint.</param>
    /// <param name="signedDigest">The digest the signature covers (the image's, or its index's).</param>
    public VerifiedSigner(string authorityName, string identity, string signedDigest)
    {
        AuthorityName = authorityName ?? throw new ArgumentNullException(nameof(authorityName));
        Identity = identity ?? throw new ArgumentNullException(nameof(identity));
        SignedDigest = signedDigest ?? throw new ArgumentNullException(nameof(signedDigest));
    }

    /// <summary>The name of the rule's authority the signature satisfied.</summary>
    public string AuthorityName { get; }

    /// <summary>Who signed, for display.</summary>
    public string Identity { get; }

    /// <summary>The digest the signature covers.</summary>
    public string SignedDigest { get; }
}

/// <summary>A verified attestation: a signer plus the predicate type of the statement it signed.</summary>
public sealed class VerifiedAttestation : VerifiedSigner
{
    /// <summary>Creates a verified attestation.</summary>
    /// <param name="predicateType">The in-toto statement's predicate type.</param>
    /// <param name="authorityName">The authority it satisfied.</param>
    /// <param name="identity">Who signed, for display.</param>
    /// <param name="signedDigest">The digest the statement's subject names.</param>
    public VerifiedAttestation(string predicateType, string authorityName, string identity, string signedDigest)
        : base(authorityName, identity, signedDigest)
    {
        PredicateType = predicateType ?? throw new ArgumentNullException(nameof(predicateType));
    }

    /// <summary>The in-toto statement's predicate type.</summary>
    public string PredicateType { get; }
}
