namespace SupplyChain.Oci.Signatures;

/// <summary>The media types, artifact types and annotation keys of signatures on images (OCI image-spec 1.1, cosign).</summary>
public static class OciMediaTypes
{
    /// <summary>OCI image manifest (image-spec <c>manifest.md</c>).</summary>
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>OCI image index (image-spec <c>image-index.md</c>).</summary>
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";

    /// <summary>Docker v2 schema 2 manifest.</summary>
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";

    /// <summary>Docker manifest list.</summary>
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>The OCI empty descriptor's media type; its content is <c>{}</c> (image-spec <c>manifest.md</c>, "Guidance for an Empty Descriptor").</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>OCI image config, as cosign's legacy signature manifests use.</summary>
    public const string ImageConfig = "application/vnd.oci.image.config.v1+json";

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
