using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// The rules that differ between bundle versions, all in one place (protobuf-specs sigstore_bundle.proto and
/// the Bundle media types; sigstore-go pkg/bundle validate, sigstore-js @sigstore/bundle validate). A breach is
/// SC1012. The parser applies each rule as soon as the part it governs is read; <see cref="SigstoreBundle"/>'s
/// constructors apply them all, so no bundle of a version exists that breaks a rule of that version.
/// </summary>
internal static class BundleVersionRules
{
    /// <summary>Every rule, over a whole bundle.</summary>
    public static void Check(BundleVersion version, VerificationMaterial material)
    {
        CheckContent(version, material.Content);
        for (int i = 0; i < material.TlogEntries.Count; i++)
        {
            CheckEntry(version, material.TlogEntries[i], $"verificationMaterial.tlogEntries[{i}]");
        }
    }

    /// <summary>The form of key material each version allows.</summary>
    public static void CheckContent(BundleVersion version, VerificationMaterialContent content)
    {
        // sigstore_bundle.proto: "When used in a 0.3 bundle with the PGI and "keyless" signing, form (3) MUST be used"
        // (the single certificate); sigstore-go and sigstore-js refuse x509_certificate_chain in any v0.3 bundle.
        if (version >= BundleVersion.V0_3 && content == VerificationMaterialContent.X509CertificateChain)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException("a v0.3 bundle must carry a single 'certificate', not 'x509CertificateChain'");
        }

        // The 'certificate' form was added with bundle v0.3 (protobuf-specs 0.3.0, "an additional certificate variant,
        // which is preferred in 0.3 bundles"); "When used in a 0.1 or 0.2 bundle ... form (2) MUST be used". A v0.1 or
        // v0.2 bundle carrying it mixes fields of two versions.
        if (version < BundleVersion.V0_3 && content == VerificationMaterialContent.Certificate)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"a {Name(version)} bundle carries its certificate in 'x509CertificateChain'; 'certificate' belongs to v0.3");
        }
    }

    /// <summary>What each version requires of a transparency-log entry.</summary>
    public static void CheckEntry(BundleVersion version, TransparencyLogEntry entry, string path)
    {
        if (version == BundleVersion.V0_1)
        {
            // VerificationMaterial.tlog_entries: v0.1 bundles "may contain an inclusion promise and not an inclusion
            // proof. In this case, the client MUST validate the promise": the promise is what a v0.1 entry stands on.
            if (entry.SignedEntryTimestamp is null)
            {
                throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.1 bundle entry needs an inclusionPromise");
            }

            return;
        }

        // From v0.2 on: "An inclusion proof and an optional signed timestamp from the log", the proof carrying the
        // checkpoint that signs its root (sigstore-js validateInclusionProof).
        if (entry.InclusionProof is not { } proof)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.2+ bundle entry needs an inclusionProof");
        }

        if (proof.Checkpoint is null)
        {
            throw CoreErrors.BundleVersionRuleViolated.ToException($"{path}: a v0.2+ inclusion proof needs a checkpoint");
        }
    }

    private static string Name(BundleVersion version) => version switch
    {
        BundleVersion.V0_1 => "v0.1",
        BundleVersion.V0_2 => "v0.2",
        _ => "v0.3",
    };
}
