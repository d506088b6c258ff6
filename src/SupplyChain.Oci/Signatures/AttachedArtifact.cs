namespace SupplyChain.Oci.Signatures;

/// <summary>What an artifact attached to an image is.</summary>
public enum AttachedKind
{
    /// <summary>An image signature (cosign 3 <c>sign/v1</c> statement, or a legacy <c>.sig</c> layer).</summary>
    Signature,

    /// <summary>A signed in-toto attestation (a bundle with another predicate type, or a legacy <c>.att</c> layer).</summary>
    Attestation,

    /// <summary>An SBOM (legacy <c>.sbom</c> tag, or a referrer whose artifact type is SPDX or CycloneDX).</summary>
    Sbom,

    /// <summary>Any other referrer.</summary>
    Other,
}

/// <summary>How an artifact is attached.</summary>
public enum AttachmentFormat
{
    /// <summary>An OCI 1.1 referrer (found through the referrers API or its tag-schema fallback).</summary>
    Referrer,

    /// <summary>A layer of a legacy cosign tag (<c>sha256-&lt;hex&gt;.sig</c>, <c>.att</c>, <c>.sbom</c>).</summary>
    LegacyTag,
}

/// <summary>An artifact attached to an image.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Format">How it is attached.</param>
/// <param name="Location">Where: the referrer manifest digest, or <c>TAG layer N</c>.</param>
/// <param name="SubjectDigest">The digest of the image it is attached to.</param>
/// <param name="MediaType">The referrer's artifact type, or the layer's media type.</param>
/// <param name="PredicateType">The in-toto predicate type, when the annotations say.</param>
public sealed record AttachedArtifact(AttachedKind Kind, AttachmentFormat Format, string Location, string SubjectDigest, string MediaType, string? PredicateType);
