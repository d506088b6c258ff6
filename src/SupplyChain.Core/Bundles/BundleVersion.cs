namespace SupplyChain.Core.Bundles;

/// <summary>The Sigstore bundle format versions this library reads.</summary>
public enum BundleVersion
{
    /// <summary>v0.1: <c>application/vnd.dev.sigstore.bundle+json;version=0.1</c>. Entries need an inclusion promise.</summary>
    V0_1 = 1,

    /// <summary>v0.2: <c>application/vnd.dev.sigstore.bundle+json;version=0.2</c>. Entries need an inclusion proof.</summary>
    V0_2 = 2,

    /// <summary>v0.3: <c>application/vnd.dev.sigstore.bundle.v0.3+json</c> (or the legacy <c>+json;version=0.3</c>). A single leaf certificate, no chain.</summary>
    V0_3 = 3,
}
