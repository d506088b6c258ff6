using System.Formats.Asn1;
using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Trust;
using SupplyChain.Testing.Timestamps;
using static SupplyChain.Core.Tests.Timestamps.TimestampTestSupport;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Core.Tests.Timestamps;

/// <summary>Tokens minted in-process by <see cref="TestTimestampAuthority"/>.</summary>
public sealed class TimestampVerifierMintedTests : IDisposable
{
    private static readonly DateTimeOffset NotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset GenTime = new(2025, 3, 1, 12, 30, 15, 250, TimeSpan.Zero);
    private static readonly byte[] Signature = "the signature bytes of a bundle"u8.ToArray();

    private readonly TestTimestampAuthority _tsa = TestTimestampAuthority.Create(NotBefore);

    public void Dispose() => _tsa.Dispose();

    private TimestampVerifier Verifier(TimeRange? validFor = null) => new(new TsaOnlyTrust(_tsa.ToCertificateAuthority(validFor)));

    [Theory]
    [InlineData("SHA256", true)]
    [InlineData("SHA256", false)]
    [InlineData("SHA384", true)]
    [InlineData("SHA512", false)]
    public void Nonce_free_token_verifies(string imprint, bool includeCertificates)
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime, includeCertificates, new HashAlgorithmName(imprint));

        VerifiedTimestamp result = Verifier().Verify(response, Signature);

        Assert.Equal(GenTime, result.Time);
        Assert.Equal(_tsa.Leaf.RawData, result.Authority.Chain[0].RawData);
    }

    [Fact]
    public void Token_with_a_nonce_verifies()
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime, nonce: new byte[] { 0x00, 0xC0, 0xFF, 0xEE });
        Assert.Equal(GenTime, Verifier().Verify(response, Signature).Time);
    }

    [Fact]
    public void Chain_with_an_intermediate_verifies()
    {
        using var tsa = TestTimestampAuthority.Create(NotBefore, withIntermediate: true);
        Assert.Equal(3, tsa.Chain.Count);
        byte[] response = tsa.Timestamp(Signature, GenTime);
        Assert.Equal(GenTime, new TimestampVerifier(new TsaOnlyTrust(tsa.ToCertificateAuthority())).Verify(response, Signature).Time);
    }

    [Fact]
    public void Each_listed_tsa_is_tried()
    {
        using var other = TestTimestampAuthority.Create(NotBefore, commonName: "Other TSA");
        var verifier = new TimestampVerifier(new TsaOnlyTrust(other.ToCertificateAuthority(), _tsa.ToCertificateAuthority()));

        VerifiedTimestamp result = verifier.Verify(_tsa.Timestamp(Signature, GenTime), Signature);

        Assert.Equal(_tsa.Leaf.RawData, result.Authority.Chain[0].RawData);
    }

    [Fact]
    public void Tampered_signature_fails_SC1402()
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime, includeCertificates: false);
        response[^1] ^= 0x01; // the last byte of the SignerInfo signature value
        AssertCode(CoreErrors.TimestampSignatureInvalid, () => Verifier().Verify(response, Signature));
    }

    [Fact]
    public void Timestamp_over_other_data_fails_SC1404()
    {
        byte[] response = _tsa.Timestamp("some other signature"u8, GenTime);
        AssertCode(CoreErrors.TimestampImprintMismatch, () => Verifier().Verify(response, Signature));
    }

    [Fact]
    public void Sha1_imprint_fails_SC1408()
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime, imprintAlgorithm: HashAlgorithmName.SHA1);
        AssertCode(CoreErrors.TimestampImprintAlgorithmUnsupported, () => Verifier().Verify(response, Signature));
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void Tsa_leaf_without_a_critical_timestamping_eku_fails_SC1403(bool timestampingEku, bool criticalEku)
    {
        using var tsa = TestTimestampAuthority.Create(NotBefore, timestampingEku: timestampingEku, criticalEku: criticalEku);
        var verifier = new TimestampVerifier(new TsaOnlyTrust(tsa.ToCertificateAuthority()));
        AssertCode(CoreErrors.TimestampUntrustedAuthority, () => verifier.Verify(tsa.Timestamp(Signature, GenTime, includeCertificates: false), Signature));
    }

    [Fact]
    public void Token_from_an_untrusted_tsa_fails_SC1403_even_with_its_chain_embedded()
    {
        using var stranger = TestTimestampAuthority.Create(NotBefore, commonName: "Test TSA");
        AssertCode(CoreErrors.TimestampUntrustedAuthority, () => Verifier().Verify(stranger.Timestamp(Signature, GenTime), Signature));
    }

    [Fact]
    public void Trusted_chain_whose_links_do_not_verify_trusts_nothing()
    {
        using var other = TestTimestampAuthority.Create(NotBefore);
        var spliced = new CertificateAuthority(null, null, "spliced", [_tsa.Leaf, other.Root], new TimeRange(NotBefore, null), null);
        AssertCode(CoreErrors.TimestampUntrustedAuthority, () => new TimestampVerifier(new TsaOnlyTrust(spliced)).Verify(_tsa.Timestamp(Signature, GenTime), Signature));
    }

    [Fact]
    public void Token_without_ess_signing_certificate_fails_SC1403()
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime, includeCertificates: false, includeSigningCertificate: false);
        SupplyChainException ex = Assert.ThrowsAny<SupplyChainException>(() => Verifier().Verify(response, Signature));
        Assert.Equal(CoreErrors.TimestampUntrustedAuthority.Code, ex.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void GenTime_outside_the_tsa_certificate_validity_fails_SC1405(bool includeCertificates)
    {
        using var shortLived = TestTimestampAuthority.Create(NotBefore, TimeSpan.FromMinutes(5));
        var verifier = new TimestampVerifier(new TsaOnlyTrust(shortLived.ToCertificateAuthority()));
        DateTimeOffset inside = NotBefore.AddMinutes(4);
        Assert.Equal(inside, verifier.Verify(shortLived.Timestamp(Signature, inside, includeCertificates), Signature).Time);
        AssertCode(CoreErrors.TimestampAuthorityNotValidAtTime, () => verifier.Verify(shortLived.Timestamp(Signature, NotBefore.AddMinutes(6), includeCertificates), Signature));
        AssertCode(CoreErrors.TimestampAuthorityNotValidAtTime, () => verifier.Verify(shortLived.Timestamp(Signature, NotBefore.AddSeconds(-1), includeCertificates), Signature));
    }

    [Fact]
    public void Trusted_root_validFor_is_a_closed_interval()
    {
        TimestampVerifier verifier = Verifier(new TimeRange(NotBefore, GenTime));
        Assert.Equal(GenTime, verifier.Verify(_tsa.Timestamp(Signature, GenTime), Signature).Time);
        AssertCode(CoreErrors.TimestampAuthorityNotValidAtTime, () => verifier.Verify(_tsa.Timestamp(Signature, GenTime.AddMilliseconds(1)), Signature));
    }

    [Fact]
    public void Truncated_response_fails_SC1401()
    {
        byte[] response = _tsa.Timestamp(Signature, GenTime);
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(response.AsMemory(0, response.Length - 10), Signature));
    }

    [Fact]
    public void Garbage_fails_SC1401()
    {
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(new byte[] { 0x30, 0x03, 0x02, 0x01 }, Signature));
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify("not DER at all"u8.ToArray(), Signature));
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(ReadOnlyMemory<byte>.Empty, Signature));
    }

    [Fact]
    public void Trailing_data_after_the_response_fails_SC1401()
    {
        byte[] response = [.. _tsa.Timestamp(Signature, GenTime), 0x00];
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(response, Signature));
    }

    [Fact]
    public void Trailing_data_inside_the_response_fails_SC1401()
    {
        byte[] token = _tsa.TimestampToken(Signature, GenTime);
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(Response(0, token, [0x05, 0x00]), Signature));
    }

    [Fact]
    public void Bare_token_without_the_TimeStampResp_wrapper_fails_SC1401()
    {
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(_tsa.TimestampToken(Signature, GenTime), Signature));
    }

    [Theory]
    [InlineData(2)] // rejection
    [InlineData(3)] // waiting
    public void Response_that_is_not_granted_fails_SC1401(int status)
    {
        byte[] token = _tsa.TimestampToken(Signature, GenTime);
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(Response(status, token), Signature));
    }

    [Fact]
    public void Granted_with_mods_verifies()
    {
        byte[] token = _tsa.TimestampToken(Signature, GenTime);
        Assert.Equal(GenTime, Verifier().Verify(Response(1, token), Signature).Time);
    }

    [Fact]
    public void Oversize_response_fails_SC1401()
    {
        var oversize = new byte[Limits.MaxDerBytes + 1];
        AssertCode(CoreErrors.TimestampMalformed, () => Verifier().Verify(oversize, Signature));
    }

    [Fact]
    public void Verifier_is_safe_to_share_across_threads()
    {
        TimestampVerifier verifier = Verifier();
        byte[][] responses = Enumerable.Range(0, 8).Select(i => _tsa.Timestamp(Signature, GenTime.AddSeconds(i), includeCertificates: i % 2 == 0)).ToArray();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int k = i % responses.Length;
            Assert.Equal(GenTime.AddSeconds(k), verifier.Verify(responses[k], Signature).Time);
        });
    }

    private static byte[] Response(int status, byte[] token, byte[]? extra = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(status);
            }

            writer.WriteEncodedValue(token);
            if (extra is not null)
            {
                writer.WriteEncodedValue(extra);
            }
        }

        return writer.Encode();
    }
}
