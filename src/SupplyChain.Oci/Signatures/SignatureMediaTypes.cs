namespace SupplyChain.Oci.Signatures;

/// <summary>The media types, artifact types and annotation keys of signatures on images (cosign, Sigstore); the OCI ones are in <see cref="Registry.Manifests.OciMediaTypes"/>.</summary>
public static class SignatureMediaTypes
{
    /// <summary>The artifact type and layer media type of a Sigstore bundle v0.3 referrer (cosign 3).</summary>
    public const string SigstoreBundle = "application/vnd.dev.sigstore.bundle.v0.3+json";

    /// <summary>A legacy cosign <c>.sig</c> layer: a simple-signing payload.</summary>
    public const string SimpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json";

    /// <summary>A legacy cosign <c>.att</c> layer: a DSSE envelope.</summary>
    public const string DsseEnvelope = "application/vnd.dsse.envelope.v1+json";

    /// <summary>Referrer annotation: <c>message-signature</c> or <c>dsse-envelope</c>.</summary>
    public const string BundleContentAnnotation = "dev.sigstore.bundle.content";

    /// <summary>Referrer annotation: the DSSE statement's predicate type.</summary>
    public const string BundlePredicateTypeAnnotation = "dev.sigstore.bundle.predicateType";

    /// <summary>OCI pre-defined annotation: the creation time (RFC 3339).</summary>
    public const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>Legacy layer annotation: the base64 signature.</summary>
    public const string SignatureAnnotation = "dev.cosignproject.cosign/signature";

    /// <summary>Legacy layer annotation: the signing certificate (PEM).</summary>
    public const string CertificateAnnotation = "dev.sigstore.cosign/certificate";

    /// <summary>Legacy layer annotation: the certificate chain (PEM).</summary>
    public const string ChainAnnotation = "dev.sigstore.cosign/chain";

    /// <summary>Legacy layer annotation: the Rekor v1 signed entry timestamp and entry (JSON).</summary>
    public const string RekorBundleAnnotation = "dev.sigstore.cosign/bundle";

    /// <summary>Legacy layer annotation: an RFC 3161 timestamp over the signature (JSON).</summary>
    public const string Rfc3161Annotation = "dev.sigstore.cosign/rfc3161timestamp";

    /// <summary>Legacy <c>.att</c> layer annotation: the predicate type.</summary>
    public const string LegacyPredicateTypeAnnotation = "predicateType";

    /// <summary>The predicate type of a cosign 3 image signature (an in-toto statement whose subject is the image).</summary>
    public const string CosignSignPredicateType = "https://sigstore.dev/cosign/sign/v1";
}
