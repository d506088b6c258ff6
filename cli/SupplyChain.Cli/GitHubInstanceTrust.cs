using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Cli;

/// <summary>
/// <c>--github-trusted-root FILE</c>: GitHub's Sigstore instance (Fulcio at fulcio.githubapp.com, its TSA, no transparency
/// log) as a second, opt-in trust, the way <c>gh attestation verify</c> keeps two verifiers: a bundle whose certificate
/// GitHub's Fulcio issued (its issuer is a certificate of that root's CAs) is verified against that root with signed
/// timestamps instead of log entries and no SCT (<see cref="VerifierOptions.SignedTimestampsInsteadOfLog"/>); every
/// other bundle keeps the default root and thresholds. Selection only picks the trust: the chain is still verified.
/// </summary>
internal static class GitHubInstanceTrust
{
    /// <summary>The option (each command owns its own instance).</summary>
    public static Option<string> Create() => new("--github-trusted-root")
    {
        Description = "Also trust GitHub's Sigstore instance (private repositories: fulcio.githubapp.com, RFC 3161 timestamps, no log) with this trusted_root.json: bundles its Fulcio issued verify against it with signed timestamps instead of log entries; other bundles keep the default root and thresholds.",
        HelpName = "FILE",
    };

    /// <summary>The verifier for <paramref name="bundle"/>: GitHub's when its leaf was issued by GitHub's CA, else the default one.</summary>
    public static SigstoreVerifier Select(SigstoreBundle bundle, TrustedRoot defaultTrust, string? githubRootPath, TextWriter stderr)
    {
        if (githubRootPath is null)
        {
            return new SigstoreVerifier(defaultTrust);
        }

        TrustedRoot github = TrustedRoot.Parse(CliFiles.ReadAll(githubRootPath, "--github-trusted-root", CliLimits.MaxTrustedRootBytes));
        if (!IssuedBy(bundle, github))
        {
            return new SigstoreVerifier(defaultTrust);
        }

        stderr.WriteLine("Trust: GitHub's Sigstore instance (--github-trusted-root): signed timestamps instead of transparency-log entries");
        return new SigstoreVerifier(github, VerifierOptions.SignedTimestampsInsteadOfLog);
    }

    private static bool IssuedBy(SigstoreBundle bundle, TrustedRoot root)
    {
        if (!bundle.VerificationMaterial.HasCertificate)
        {
            return false;
        }

        X509Certificate2 leaf;
        try
        {
            leaf = X509CertificateLoader.LoadCertificate(bundle.VerificationMaterial.LeafCertificate.Span);
        }
        catch (CryptographicException)
        {
            return false; // the verifier reports the malformed certificate with its code
        }

        using (leaf)
        {
            return root.CertificateAuthorities.Any(ca => ca.Chain.Any(c => c.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)));
        }
    }
}
