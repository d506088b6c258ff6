namespace SupplyChain.Core.Errors;

/// <summary>Stable error codes of SupplyChain.Core.</summary>
public static partial class CoreErrors
{
    // Attestation content, source and builder checks (SC1620-SC1639)

    /// <summary>SC1620: an attestation check was asked of a bundle that carries no in-toto statement (a message signature).</summary>
    public static readonly ErrorCode AttestationStatementMissing = new("SC1620", ErrorCategory.VerificationFailed, "the bundle carries no in-toto statement to check");

    /// <summary>SC1621: the statement's predicate type is not the one required.</summary>
    public static readonly ErrorCode AttestationPredicateTypeMismatch = new("SC1621", ErrorCategory.VerificationFailed, "the attestation's predicate type is not the one required");

    /// <summary>SC1622: the source repository (certificate extension or provenance) is not the one required, or is absent.</summary>
    public static readonly ErrorCode AttestationSourceRepositoryMismatch = new("SC1622", ErrorCategory.VerificationFailed, "the attestation's source repository is not the one required");

    /// <summary>SC1623: the source ref (certificate extension or provenance) is not the one required, or is absent.</summary>
    public static readonly ErrorCode AttestationSourceRefMismatch = new("SC1623", ErrorCategory.VerificationFailed, "the attestation's source ref is not the one required");

    /// <summary>SC1624: the source commit digest (certificate extension or provenance) is not the one required, or is absent.</summary>
    public static readonly ErrorCode AttestationSourceDigestMismatch = new("SC1624", ErrorCategory.VerificationFailed, "the attestation's source digest is not the one required");

    /// <summary>SC1625: the workflow that signed (Build Signer URI) is not the one required, or is absent.</summary>
    public static readonly ErrorCode AttestationSignerWorkflowMismatch = new("SC1625", ErrorCategory.VerificationFailed, "the workflow that signed the attestation is not the one required");

    /// <summary>SC1626: the provenance's builder id is not the one required, or the statement is no SLSA provenance.</summary>
    public static readonly ErrorCode AttestationBuilderIdMismatch = new("SC1626", ErrorCategory.VerificationFailed, "the provenance's builder id is not the one required");

    /// <summary>SC1627: the build ran on a self-hosted (or undeclared) runner and hosted runners were required.</summary>
    public static readonly ErrorCode AttestationSelfHostedRunner = new("SC1627", ErrorCategory.VerificationFailed, "the build did not run on a platform-hosted runner");

    /// <summary>SC1628: the signing certificate's extensions and the verified provenance say different things about the build.</summary>
    public static readonly ErrorCode AttestationCertificateMismatch = new("SC1628", ErrorCategory.VerificationFailed, "the certificate and the provenance disagree about the build");

    /// <summary>SC1629: the attestation requirements are invalid (an empty value, an unknown runner requirement).</summary>
    public static readonly ErrorCode AttestationRequirementsInvalid = new("SC1629", ErrorCategory.TrustRootOrConfiguration, "the attestation requirements are invalid");

    /// <summary>SC1634: source or builder requirements were given for an attestation signed with a key (no Fulcio certificate to check them on).</summary>
    public static readonly ErrorCode AttestationNeedsCertificate = new("SC1634", ErrorCategory.VerificationFailed, "the attestation is signed with a key: no certificate carries its source and builder");

    /// <summary>SC1630: a SLSA provenance predicate does not have the structure its predicate type defines.</summary>
    public static readonly ErrorCode ProvenancePredicateMalformed = new("SC1630", ErrorCategory.MalformedInput, "the SLSA provenance predicate is malformed");

    /// <summary>SC1631: the document is not a CycloneDX JSON BOM of spec version 1.4 to 1.6 (its schema's required structure).</summary>
    public static readonly ErrorCode CycloneDxDocumentInvalid = new("SC1631", ErrorCategory.MalformedInput, "the document is not a valid CycloneDX JSON BOM (1.4 to 1.6)");

    /// <summary>SC1632: the document is not an SPDX 2.3 JSON document (its schema's required structure).</summary>
    public static readonly ErrorCode SpdxDocumentInvalid = new("SC1632", ErrorCategory.MalformedInput, "the document is not a valid SPDX 2.3 JSON document");

    /// <summary>SC1633: the SBOM document exceeds a size, depth or count limit.</summary>
    public static readonly ErrorCode SbomDocumentTooLarge = new("SC1633", ErrorCategory.MalformedInput, "the SBOM document exceeds a limit");
}
