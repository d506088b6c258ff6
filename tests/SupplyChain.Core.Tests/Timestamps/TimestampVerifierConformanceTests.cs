using SupplyChain.Core.Errors;
using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Trust;
using SupplyChain.Testing;
using static SupplyChain.Core.Tests.Timestamps.TimestampTestSupport;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.Timestamps;

/// <summary>Real timestamps from the Sigstore conformance bundles, each against its case's trusted root.</summary>
public class TimestampVerifierConformanceTests
{
    [SharedFixtureTheory]
    [InlineData("rekor2-happy-path", "2025-06-12T12:02:20Z")]
    [InlineData("rekor2-timestamp-with-embedded-cert", null)]
    [InlineData("rekor2-timestamp-without-embedded-cert", null)]
    [InlineData("rekor2-timestamp-with-expired-cert-chain", "2025-08-07T15:32:26Z")]
    [InlineData("trust-root-tsa-validity-end-inclusive", "2025-06-12T12:02:20Z")]
    [InlineData("managed-key-happy-path", null)]
    public void Conformance_timestamp_verifies(string caseName, string? expectedTime)
    {
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp(caseName);
        TrustedRoot root = LoadRoot(caseName);

        VerifiedTimestamp result = new TimestampVerifier(root).Verify(token, signature);

        Assert.Contains(result.Authority, root.TimestampAuthorities);
        Assert.True(result.Authority.ValidFor.Contains(result.Time));
        if (expectedTime is not null)
        {
            Assert.Equal(DateTimeOffset.Parse(expectedTime, System.Globalization.CultureInfo.InvariantCulture), result.Time);
        }
    }

    [SharedFixtureFact]
    public void Managed_key_happy_path_verifies_against_the_embedded_production_root()
    {
        // The case has no trusted_root.json: the client's production root applies, and it lists the production TSA.
        Assert.False(File.Exists(Path.Combine(CaseFolder("managed-key-happy-path"), "trusted_root.json")));
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp("managed-key-happy-path");

        VerifiedTimestamp result = new TimestampVerifier(TrustedRoot.Production).Verify(token, signature);

        Assert.Equal("https://timestamp.sigstore.dev/api/v1/timestamp", result.Authority.Uri);
    }

    [SharedFixtureTheory]
    [InlineData("rekor2-timestamp-outside-trust-root-tsa-validity_fail", "SC1405")]
    [InlineData("rekor2-timestamp-outside-tsa-cert-validity_fail", "SC1405")]
    [InlineData("rekor2-timestamp-payload-mismatch_fail", "SC1404")]
    [InlineData("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "SC1403")]
    [InlineData("rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "SC1403")]
    public void Conformance_timestamp_fails_with_its_code(string caseName, string expectedCode)
    {
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp(caseName);
        var verifier = new TimestampVerifier(LoadRoot(caseName));

        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => verifier.Verify(token, signature));

        Assert.Equal(expectedCode, ex.Code);
    }

    [SharedFixtureFact]
    public void Untrusted_tsa_with_embedded_chain_is_not_trusted_even_when_a_trusted_tsa_shares_nothing_with_it()
    {
        // FreeTSA embeds its whole chain; the staging root does not list it. Embedded certificates grant no trust.
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp("rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail");
        AssertCode(CoreErrors.TimestampUntrustedAuthority, () => new TimestampVerifier(TrustedRoot.Staging).Verify(token, signature));
    }

    [SharedFixtureFact]
    public void A_valid_timestamp_over_another_signature_is_an_imprint_mismatch()
    {
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp("rekor2-happy-path");
        signature[0] ^= 1;
        AssertCode(CoreErrors.TimestampImprintMismatch, () => new TimestampVerifier(LoadRoot("rekor2-happy-path")).Verify(token, signature));
    }

    [SharedFixtureFact]
    public void A_root_without_timestamp_authorities_trusts_no_timestamp()
    {
        (ReadOnlyMemory<byte> token, byte[] signature) = LoadTimestamp("rekor2-happy-path");
        AssertCode(CoreErrors.TimestampUntrustedAuthority, () => new TimestampVerifier(new TsaOnlyTrust()).Verify(token, signature));
    }
}
