namespace SupplyChain.Core.Bundles;

/// <summary>Which of the three forms of <c>VerificationMaterial.content</c> (sigstore_bundle.proto) a bundle carries.</summary>
public enum VerificationMaterialContent
{
    /// <summary><c>publicKey</c>: a hint naming a key the verifier supplies (self-managed keys).</summary>
    PublicKey = 1,

    /// <summary><c>x509CertificateChain</c>: the leaf and possibly more certificates (bundles v0.1 and v0.2).</summary>
    X509CertificateChain = 2,

    /// <summary><c>certificate</c>: a single leaf certificate (bundle v0.3).</summary>
    Certificate = 3,
}
