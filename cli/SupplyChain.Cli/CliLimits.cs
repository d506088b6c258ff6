namespace SupplyChain.Cli;

/// <summary>Largest files the CLI reads into memory, per role (DESIGN.md convention 5).</summary>
internal static class CliLimits
{
    /// <summary>A bundle (the Core parser enforces its own, equal limit too).</summary>
    public const long MaxBundleBytes = 32L * 1024 * 1024;

    /// <summary>A trusted_root.json.</summary>
    public const long MaxTrustedRootBytes = 4L * 1024 * 1024;

    /// <summary>A PEM public key.</summary>
    public const long MaxPublicKeyBytes = 64L * 1024;

    /// <summary>An identity token file or value.</summary>
    public const long MaxIdentityTokenBytes = 64L * 1024;

    /// <summary>A signing_config.json.</summary>
    public const long MaxSigningConfigBytes = 1L * 1024 * 1024;

    /// <summary>A private key file for <c>--key</c> (as the signing library's own key file limit).</summary>
    public const long MaxPrivateKeyBytes = 64L * 1024;

    /// <summary>A predicate file for <c>attest-blob</c>.</summary>
    public const long MaxPredicateBytes = 16L * 1024 * 1024;

    /// <summary>An in-toto statement for <c>attest-blob --statement</c>.</summary>
    public const long MaxStatementBytes = 16L * 1024 * 1024;
}
