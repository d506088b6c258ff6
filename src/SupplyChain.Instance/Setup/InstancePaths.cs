namespace SupplyChain.Instance.Setup;

/// <summary>The files of an instance directory (docs/instance.md, "Layout").</summary>
internal sealed class InstancePaths
{
    public InstancePaths(string directory) => Directory = Path.GetFullPath(directory);

    /// <summary>The instance directory.</summary>
    public string Directory { get; }

    /// <summary>config.json: issuer, local identity, port, external issuers, log origin.</summary>
    public string Config => File("config.json");

    /// <summary>trusted_root.json for verifiers.</summary>
    public string TrustedRoot => File("trusted_root.json");

    /// <summary>signing_config.json (v0.2) naming the served URLs.</summary>
    public string SigningConfig => File("signing_config.json");

    /// <summary>The CA root certificate.</summary>
    public string CaRootCertificate => File("ca/root.pem");

    /// <summary>The CA root private key (0600).</summary>
    public string CaRootKey => File("ca/root.key");

    /// <summary>The issuing intermediate certificate.</summary>
    public string CaIntermediateCertificate => File("ca/intermediate.pem");

    /// <summary>The issuing intermediate's private key (0600).</summary>
    public string CaIntermediateKey => File("ca/intermediate.key");

    /// <summary>The CT log key that signs embedded SCTs (0600).</summary>
    public string CtLogKey => File("ctlog/ctlog.key");

    /// <summary>The transparency log's Ed25519 checkpoint key (0600).</summary>
    public string TlogKey => File("tlog/checkpoint.key");

    /// <summary>The tile log's directory.</summary>
    public string TlogData => File("tlog/data");

    /// <summary>The TSA root certificate.</summary>
    public string TsaRootCertificate => File("tsa/root.pem");

    /// <summary>The TSA signing certificate.</summary>
    public string TsaLeafCertificate => File("tsa/leaf.pem");

    /// <summary>The TSA signing key (0600).</summary>
    public string TsaLeafKey => File("tsa/leaf.key");

    /// <summary>The OIDC issuer's ES256 token signing key (0600).</summary>
    public string OidcKey => File("oidc/signing.key");

    private string File(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));
}
