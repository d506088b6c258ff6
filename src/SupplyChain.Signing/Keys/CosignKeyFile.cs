using System.Security.Cryptography;
using System.Text.Json;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace SupplyChain.Signing.Keys;

/// <summary>
/// cosign's encrypted private key format (PEM label <c>ENCRYPTED SIGSTORE PRIVATE KEY</c>, formerly
/// <c>ENCRYPTED COSIGN PRIVATE KEY</c>), as written by <c>cosign generate-key-pair</c> through
/// go-securesystemslib's <c>encrypted</c> package. The PEM body is the JSON document
/// <c>{"kdf":{"name":"scrypt","params":{"N":..,"r":..,"p":..},"salt":b64},"cipher":{"name":"nacl/secretbox","nonce":b64},"ciphertext":b64}</c>;
/// the key is <c>scrypt(password, salt, N, r, p, 32)</c> (RFC 7914) and the ciphertext is a NaCl
/// <c>crypto_secretbox</c> (XSalsa20-Poly1305) of a DER PKCS#8 private key (RFC 5208/5958), its 16-byte tag first.
/// </summary>
public static class CosignKeyFile
{
    /// <summary>The PEM label cosign writes.</summary>
    public const string PemLabel = "ENCRYPTED SIGSTORE PRIVATE KEY";

    /// <summary>The PEM label older cosign versions wrote; still read.</summary>
    public const string LegacyPemLabel = "ENCRYPTED COSIGN PRIVATE KEY";

    /// <summary>cosign's scrypt cost parameter N (go-securesystemslib's legacy profile).</summary>
    public const int DefaultScryptN = 32768;

    /// <summary>cosign's scrypt block size r.</summary>
    public const int DefaultScryptR = 8;

    /// <summary>cosign's scrypt parallelisation p.</summary>
    public const int DefaultScryptP = 1;

    private const int KeySize = 32;
    private const int NonceSize = 24;
    private const int TagSize = 16;
    private const int SaltSize = 32;

    /// <summary>
    /// Encrypts a DER PKCS#8 private key with <paramref name="password"/> into cosign's PEM format, with cosign's
    /// scrypt parameters (N=32768, r=8, p=1) and a random 32-byte salt and 24-byte nonce.
    /// </summary>
    /// <param name="pkcs8">The DER PKCS#8 PrivateKeyInfo (RFC 5208 section 5).</param>
    /// <param name="password">The password bytes (cosign uses the UTF-8 bytes of the password; may be empty).</param>
    /// <returns>The PEM text, ending with a newline.</returns>
    public static string Encrypt(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> password) =>
        Encrypt(pkcs8, password, DefaultScryptN, DefaultScryptR, DefaultScryptP);

    /// <summary>Encrypts with explicit scrypt parameters (tests use small ones).</summary>
    internal static string Encrypt(ReadOnlySpan<byte> pkcs8, ReadOnlySpan<byte> password, int n, int r, int p)
    {
        CheckScryptParameters(n, r, p);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltSize);
        byte[] nonce = RandomNumberGenerator.GetBytes(NonceSize);
        byte[] key = DeriveKey(password, salt, n, r, p);
        byte[] sealedBox;
        try
        {
            sealedBox = SecretBoxSeal(pkcs8, nonce, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("kdf");
            json.WriteString("name", "scrypt");
            json.WriteStartObject("params");
            json.WriteNumber("N", n);
            json.WriteNumber("r", r);
            json.WriteNumber("p", p);
            json.WriteEndObject();
            json.WriteString("salt", Convert.ToBase64String(salt));
            json.WriteEndObject();
            json.WriteStartObject("cipher");
            json.WriteString("name", "nacl/secretbox");
            json.WriteString("nonce", Convert.ToBase64String(nonce));
            json.WriteEndObject();
            json.WriteString("ciphertext", Convert.ToBase64String(sealedBox));
            json.WriteEndObject();
        }

        return new string(PemEncoding.Write(PemLabel, buffer.ToArray())) + "\n";
    }

    /// <summary>
    /// Decrypts the body of a cosign encrypted key (the bytes between the PEM armour, base64-decoded) into the DER
    /// PKCS#8 private key. The caller should zero the result when done.
    /// </summary>
    /// <param name="body">The JSON document.</param>
    /// <param name="password">The password bytes.</param>
    /// <returns>The DER PKCS#8 PrivateKeyInfo.</returns>
    /// <exception cref="Core.Errors.MalformedInputException">
    /// SC2001 malformed JSON or base64; SC2005 unknown KDF or cipher, or parameters beyond the limits; SC2004 wrong password.
    /// </exception>
    public static byte[] DecryptBody(ReadOnlySpan<byte> body, ReadOnlySpan<byte> password)
    {
        if (body.Length > Limits.MaxKeyFileBytes)
        {
            throw SigningErrors.KeyFileTooLarge.ToException();
        }

        (int n, int r, int p, byte[] salt, byte[] nonce, byte[] sealedBox) = ParseBody(body);
        byte[] key = DeriveKey(password, salt, n, r, p);
        try
        {
            return SecretBoxOpen(sealedBox, nonce, key)
                ?? throw SigningErrors.PrivateKeyPasswordIncorrect.ToException("secretbox authentication failed");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static (int N, int R, int P, byte[] Salt, byte[] Nonce, byte[] SealedBox) ParseBody(ReadOnlySpan<byte> body)
    {
        try
        {
            CosignKeyEnvelopeJson document = JsonSerializer.Deserialize(body, CosignKeyFileJsonContext.Default.CosignKeyEnvelopeJson)
                ?? throw SigningErrors.PrivateKeyMalformed.ToException("the document is not a JSON object");
            CosignKdfJson kdf = document.Kdf ?? throw SigningErrors.PrivateKeyMalformed.ToException("kdf is not a JSON object");
            CosignCipherJson cipher = document.Cipher ?? throw SigningErrors.PrivateKeyMalformed.ToException("cipher is not a JSON object");
            string? kdfName = kdf.Name;
            string? cipherName = cipher.Name;

            // go-securesystemslib encrypted: the only KDF is "scrypt", the only cipher "nacl/secretbox".
            if (kdfName != "scrypt")
            {
                throw SigningErrors.EncryptedKeyParametersRejected.ToException($"KDF '{kdfName}'");
            }

            if (cipherName != "nacl/secretbox")
            {
                throw SigningErrors.EncryptedKeyParametersRejected.ToException($"cipher '{cipherName}'");
            }

            CosignScryptParamsJson parameters = kdf.Params ?? throw SigningErrors.PrivateKeyMalformed.ToException("kdf.params is not a JSON object");
            if (!parameters.N.TryGetInt32(out int n) || !parameters.R.TryGetInt32(out int r) || !parameters.P.TryGetInt32(out int p))
            {
                throw SigningErrors.EncryptedKeyParametersRejected.ToException("scrypt parameters are not 32-bit integers");
            }

            CheckScryptParameters(n, r, p);
            byte[] salt = Base64(kdf.Salt, "kdf.salt");
            if (salt.Length == 0 || salt.Length > Limits.MaxSaltBytes)
            {
                throw SigningErrors.EncryptedKeyParametersRejected.ToException($"a salt of {salt.Length} bytes");
            }

            byte[] nonce = Base64(cipher.Nonce, "cipher.nonce");
            if (nonce.Length != NonceSize)
            {
                // NaCl crypto_secretbox_NONCEBYTES = 24.
                throw SigningErrors.EncryptedKeyParametersRejected.ToException($"a nonce of {nonce.Length} bytes (secretbox needs 24)");
            }

            byte[] sealedBox = Base64(document.Ciphertext, "ciphertext");
            if (sealedBox.Length < TagSize)
            {
                throw SigningErrors.PrivateKeyMalformed.ToException("the ciphertext is shorter than the secretbox tag");
            }

            return (n, r, p, salt, nonce, sealedBox);
        }
        catch (JsonException ex)
        {
            throw SigningErrors.PrivateKeyMalformed.ToException("the encrypted key is not JSON", ex);
        }
        catch (InvalidOperationException ex)
        {
            // JsonElement.TryGetInt32 on a scrypt parameter that is not a number.
            throw SigningErrors.PrivateKeyMalformed.ToException("the encrypted key has a field of the wrong type", ex);
        }
    }

    private static byte[] Base64(string? text, string what)
    {
        // Go's encoding/json encodes []byte as standard, padded base64.
        text = text ?? throw SigningErrors.PrivateKeyMalformed.ToException($"{what} is null");
        byte[] buffer = new byte[MaxDecodedLength(text.Length)];
        return Convert.TryFromBase64String(text, buffer, out int written)
            ? buffer.AsSpan(0, written).ToArray()
            : throw SigningErrors.PrivateKeyMalformed.ToException($"{what} is not base64");
    }

    private static int MaxDecodedLength(int chars) => ((chars + 3) / 4) * 3;

    /// <summary>
    /// RFC 7914 section 2: N is a power of two greater than 1, r*p &lt; 2^30. Beyond that the limits keep a
    /// hostile file from costing more than 1 GiB of memory or 2^24 block mixes (Limits).
    /// </summary>
    internal static void CheckScryptParameters(int n, int r, int p)
    {
        if (n < 2 || (n & (n - 1)) != 0 || n > Limits.MaxScryptN)
        {
            throw SigningErrors.EncryptedKeyParametersRejected.ToException($"scrypt N={n} (a power of two from 2 to 2^20)");
        }

        if (r < 1 || r > Limits.MaxScryptR || p < 1 || p > Limits.MaxScryptP)
        {
            throw SigningErrors.EncryptedKeyParametersRejected.ToException($"scrypt r={r} p={p} (r from 1 to 32, p from 1 to 16)");
        }

        if (128L * n * r > Limits.MaxScryptMemoryBytes || (long)n * r * p > Limits.MaxScryptWork)
        {
            throw SigningErrors.EncryptedKeyParametersRejected.ToException($"scrypt N={n} r={r} p={p} costs too much memory or time");
        }
    }

    internal static byte[] DeriveKey(ReadOnlySpan<byte> password, byte[] salt, int n, int r, int p)
    {
        byte[] pw = password.ToArray();
        try
        {
            // RFC 7914 section 6: scrypt(P, S, N, r, p, dkLen) with dkLen = 32, the secretbox key size.
            return SCrypt.Generate(pw, salt, n, r, p, KeySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pw);
        }
    }

    /// <summary>
    /// NaCl <c>crypto_secretbox_open</c> in Go's <c>secretbox.Open</c> layout (tag || ciphertext): the first 32
    /// bytes of the XSalsa20 keystream are the one-time Poly1305 key, the rest encrypts the message.
    /// </summary>
    /// <returns>The plaintext, or null when the tag does not authenticate.</returns>
    internal static byte[]? SecretBoxOpen(ReadOnlySpan<byte> sealedBox, byte[] nonce, byte[] key)
    {
        var stream = new XSalsa20Engine();
        stream.Init(false, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, polyKey, 0);
        byte[] ciphertext = sealedBox[TagSize..].ToArray();
        byte[] expectedTag = Poly1305Tag(polyKey, ciphertext);
        CryptographicOperations.ZeroMemory(polyKey);
        if (!CryptographicOperations.FixedTimeEquals(expectedTag, sealedBox[..TagSize]))
        {
            return null;
        }

        byte[] plaintext = new byte[ciphertext.Length];
        stream.ProcessBytes(ciphertext, 0, ciphertext.Length, plaintext, 0);
        return plaintext;
    }

    /// <summary>NaCl <c>crypto_secretbox</c> in Go's <c>secretbox.Seal</c> layout (tag || ciphertext).</summary>
    internal static byte[] SecretBoxSeal(ReadOnlySpan<byte> plaintext, byte[] nonce, byte[] key)
    {
        var stream = new XSalsa20Engine();
        stream.Init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        stream.ProcessBytes(new byte[32], 0, 32, polyKey, 0);
        byte[] message = plaintext.ToArray();
        byte[] ciphertext = new byte[message.Length];
        stream.ProcessBytes(message, 0, message.Length, ciphertext, 0);
        CryptographicOperations.ZeroMemory(message);
        byte[] tag = Poly1305Tag(polyKey, ciphertext);
        CryptographicOperations.ZeroMemory(polyKey);
        byte[] result = new byte[TagSize + ciphertext.Length];
        tag.CopyTo(result, 0);
        ciphertext.CopyTo(result, TagSize);
        return result;
    }

    private static byte[] Poly1305Tag(byte[] polyKey, byte[] data)
    {
        // Poly1305 without a block cipher: the 32-byte key is r || s, used directly (as NaCl's crypto_onetimeauth).
        var mac = new Poly1305();
        mac.Init(new KeyParameter(polyKey));
        mac.BlockUpdate(data, 0, data.Length);
        byte[] tag = new byte[TagSize];
        mac.DoFinal(tag, 0);
        return tag;
    }

    internal static bool IsCosignLabel(ReadOnlySpan<char> label) =>
        label.SequenceEqual(PemLabel) || label.SequenceEqual(LegacyPemLabel);
}
