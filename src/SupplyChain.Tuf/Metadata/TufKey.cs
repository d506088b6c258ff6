using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;

namespace SupplyChain.Tuf.Metadata;

/// <summary>
/// A public key of a TUF <c>keys</c> map (TUF spec 4.2 "KEYTYPE/SCHEME"). Supported: <c>ecdsa-sha2-nistp256</c> and
/// <c>ecdsa</c> (scheme <c>ecdsa-sha2-nistp256</c>, hex uncompressed point or PEM SPKI, hex DER signatures), <c>ed25519</c>
/// (hex 32 bytes) and <c>rsa</c> with scheme <c>rsassa-pss-sha256</c> (PEM). Other keys are kept but can verify nothing:
/// they never count toward a threshold (fail closed).
/// </summary>
internal sealed class TufKey
{
    // DER prefixes that turn a raw public key into a SubjectPublicKeyInfo.
    private static readonly byte[] P256SpkiPrefix = Convert.FromHexString("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    private static readonly byte[] Ed25519SpkiPrefix = Convert.FromHexString("302a300506032b6570032100");

    private TufKey(string keyType, string scheme, PublicKeyVerifier? verifier)
    {
        KeyType = keyType;
        Scheme = scheme;
        Verifier = verifier;
    }

    public string KeyType { get; }

    public string Scheme { get; }

    /// <summary>The imported key, or <see langword="null"/> when the key type or scheme is unsupported or the key is unreadable.</summary>
    public PublicKeyVerifier? Verifier { get; }

    /// <summary>Identifies the key material (not the keyid): the hex SPKI.</summary>
    public string? Identity => Verifier is null ? null : Convert.ToHexString(Verifier.SubjectPublicKeyInfo.Span);

    public static TufKey Parse(JsonElement key, string where)
    {
        if (key.ValueKind != JsonValueKind.Object)
        {
            throw TufErrors.MetadataMalformed.ToException($"{where}: a key is not an object");
        }

        string keyType = Json.String(key, "keytype", where);
        string scheme = Json.String(key, "scheme", where);
        JsonElement keyVal = Json.Object(key, "keyval", where);

        // Key types this client does not know (sigstore-oidc, ...) may have no "public"; they simply verify nothing.
        if (!keyVal.TryGetProperty("public", out JsonElement publicJson) || publicJson.ValueKind != JsonValueKind.String)
        {
            return new TufKey(keyType, scheme, null);
        }

        return new TufKey(keyType, scheme, TryImport(keyType, scheme, publicJson.GetString()!));
    }

    /// <summary>Verifies a hex signature over <paramref name="data"/>; a malformed signature is simply invalid.</summary>
    public bool Verify(byte[] data, string hexSignature)
    {
        if (Verifier is null || hexSignature.Length == 0 || hexSignature.Length % 2 != 0)
        {
            return false;
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(hexSignature);
        }
        catch (FormatException)
        {
            return false;
        }

        try
        {
            return Verifier.VerifyData(data, signature);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static PublicKeyVerifier? TryImport(string keyType, string scheme, string publicKey)
    {
        try
        {
            switch (keyType)
            {
                case "ecdsa-sha2-nistp256" or "ecdsa" when scheme == "ecdsa-sha2-nistp256":
                    PublicKeyVerifier ec = IsHex(publicKey) && publicKey.Length == 130
                        ? PublicKeyVerifier.FromSubjectPublicKeyInfo([.. P256SpkiPrefix, .. Convert.FromHexString(publicKey)], HashAlgorithmName.SHA256)
                        : FromPem(publicKey, HashAlgorithmName.SHA256, null);
                    return ec.Algorithm == KeyAlgorithm.Ecdsa && ec.KeySizeBits == 256 ? ec : Discard(ec);
                case "ed25519" when scheme == "ed25519" && IsHex(publicKey) && publicKey.Length == 64:
                    return PublicKeyVerifier.FromSubjectPublicKeyInfo([.. Ed25519SpkiPrefix, .. Convert.FromHexString(publicKey)]);
                case "rsa" when scheme == "rsassa-pss-sha256":
                    PublicKeyVerifier rsa = FromPem(publicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    return rsa.Algorithm == KeyAlgorithm.Rsa ? rsa : Discard(rsa);
                default:
                    return null;
            }
        }
        catch (MalformedInputException)
        {
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static PublicKeyVerifier? Discard(PublicKeyVerifier verifier)
    {
        verifier.Dispose();
        return null;
    }

    private static PublicKeyVerifier FromPem(string pem, HashAlgorithmName hash, RSASignaturePadding? padding)
    {
        if (!PemEncoding.TryFind(pem, out PemFields fields) || pem[fields.Label] != "PUBLIC KEY")
        {
            throw TufErrors.MetadataMalformed.ToException("not a PEM PUBLIC KEY");
        }

        byte[] der = Convert.FromBase64String(pem[fields.Base64Data]);
        return PublicKeyVerifier.FromSubjectPublicKeyInfo(der, hash, padding);
    }

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsHex(string s) => s.Length > 0 && !s.AsSpan().ContainsAnyExcept(HexDigits);
}
