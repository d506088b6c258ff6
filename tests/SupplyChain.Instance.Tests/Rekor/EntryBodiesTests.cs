using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Instance.Rekor;

namespace SupplyChain.Instance.Tests.Rekor;

/// <summary>
/// The public Rekor v2 body writers: <see cref="LoggedVerifier"/> is immutable with value equality over its bytes
/// (it was a record over a caller's <c>byte[]</c>: shared, mutable, compared by reference), and a digest the bodies
/// would label <c>SHA2_256</c> must be 32 bytes.
/// </summary>
public sealed class EntryBodiesTests
{
    private static readonly byte[] Spki = [0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48];

    [Fact]
    public void A_verifier_keeps_its_own_copy_of_the_bytes()
    {
        byte[] der = (byte[])Spki.Clone();
        var verifier = new LoggedVerifier(der, isCertificate: false, "PKIX_ECDSA_P256_SHA_256");
        der[0] = 0xff;

        Assert.Equal(Spki, verifier.Der.ToArray());
        byte[] body = EntryBodies.HashedRekord(SHA256.HashData("a"u8), [1, 2, 3], verifier);
        using JsonDocument document = JsonDocument.Parse(body);
        string rawBytes = document.RootElement.GetProperty("spec").GetProperty("hashedRekordV002").GetProperty("signature")
            .GetProperty("verifier").GetProperty("publicKey").GetProperty("rawBytes").GetString()!;
        Assert.Equal(Convert.ToBase64String(Spki), rawBytes);
    }

    [Fact]
    public void Verifiers_are_equal_by_bytes_kind_and_key_details()
    {
        var a = new LoggedVerifier((byte[])Spki.Clone(), false, "PKIX_ECDSA_P256_SHA_256");
        var b = new LoggedVerifier((byte[])Spki.Clone(), false, "PKIX_ECDSA_P256_SHA_256");
        Assert.True(a.Equals(b));
        Assert.Equal(a, (object)b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());

        byte[] flipped = (byte[])Spki.Clone();
        flipped[^1] ^= 1;
        Assert.False(a.Equals(new LoggedVerifier(flipped, false, "PKIX_ECDSA_P256_SHA_256")));
        Assert.False(a.Equals(new LoggedVerifier(Spki, true, "PKIX_ECDSA_P256_SHA_256")));
        Assert.False(a.Equals(new LoggedVerifier(Spki, false, "PKIX_ED25519")));
        Assert.False(a.Equals(null));
    }

    [Fact]
    public void A_verifier_without_bytes_or_key_details_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new LoggedVerifier([], false, "PKIX_ED25519"));
        Assert.Throws<ArgumentNullException>(() => new LoggedVerifier(Spki, false, null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(48)]
    [InlineData(64)]
    public void A_digest_that_is_not_32_bytes_is_refused(int length)
    {
        var verifier = new LoggedVerifier(Spki, false, "PKIX_ECDSA_P256_SHA_256");
        byte[] digest = new byte[length];
        Assert.Equal("digest", Assert.Throws<ArgumentException>(() => EntryBodies.HashedRekord(digest, [1], verifier)).ParamName);
        Assert.Equal("payloadSha256", Assert.Throws<ArgumentException>(() => EntryBodies.Dsse(digest, [([1], verifier)])).ParamName);
    }

    [Fact]
    public void A_32_byte_digest_is_written_as_SHA2_256()
    {
        byte[] digest = SHA256.HashData("artifact"u8);
        var verifier = new LoggedVerifier(Spki, false, "PKIX_ECDSA_P256_SHA_256");
        using JsonDocument hashed = JsonDocument.Parse(EntryBodies.HashedRekord(digest, [1], verifier));
        JsonElement data = hashed.RootElement.GetProperty("spec").GetProperty("hashedRekordV002").GetProperty("data");
        Assert.Equal("SHA2_256", data.GetProperty("algorithm").GetString());
        Assert.Equal(Convert.ToBase64String(digest), data.GetProperty("digest").GetString());
        using JsonDocument dsse = JsonDocument.Parse(EntryBodies.Dsse(digest, [([1], verifier)]));
        Assert.Equal(Convert.ToBase64String(digest), dsse.RootElement.GetProperty("spec").GetProperty("dsseV002").GetProperty("payloadHash").GetProperty("digest").GetString());
    }
}
