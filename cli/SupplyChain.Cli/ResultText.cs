using System.Globalization;
using SupplyChain.Core.Verification;

namespace SupplyChain.Cli;

/// <summary>
/// The text form of a successful verification. Like cosign, everything goes to stderr (cosign prints
/// <c>Verified OK</c> there), so stdout stays empty in text mode; <c>--output json</c> prints the result on stdout.
/// Only identities, digests, URLs and times are printed: never keys, tokens or certificates.
/// </summary>
internal static class ResultText
{
    /// <summary>Writes <paramref name="result"/>.</summary>
    public static void Write(VerificationResult result, TextWriter writer)
    {
        writer.WriteLine("Verified OK");
        SignerInfo signer = result.Signer;
        if (signer.SubjectAlternativeName is not null || signer.Issuer is not null)
        {
            writer.WriteLine($"  identity:   {signer.SubjectAlternativeName}");
            writer.WriteLine($"  issuer:     {signer.Issuer}");
        }

        if (!result.IdentityChecked)
        {
            writer.WriteLine("  WARNING:    the identity was NOT checked (--insecure-ignore-identity)");
        }

        writer.WriteLine($"  public key: sha256:{signer.PublicKeySha256}");
        writer.WriteLine($"  bundle:     {result.BundleMediaType}");
        foreach (VerifiedTime time in result.VerifiedTimes)
        {
            writer.WriteLine($"  verified time: {time.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({time.Kind}, {time.Authority})");
        }

        foreach (VerifiedLogEntry entry in result.LogEntries)
        {
            writer.WriteLine($"  log entry:  {entry.LogUrl} index {entry.LogIndex.ToString(CultureInfo.InvariantCulture)} ({entry.Kind}/{entry.KindVersion})");
        }

        if (result.Statement is { } statement)
        {
            writer.WriteLine($"  statement:  {statement.PredicateType}");
        }
    }
}
