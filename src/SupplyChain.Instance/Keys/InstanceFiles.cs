using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SupplyChain.Instance.Keys;

/// <summary>
/// Reads and writes the files of an instance directory: private keys as PKCS#8 PEM with owner-only permissions
/// (0600; they are the instance's long-lived keys), certificates as PEM, and every read bounded by
/// <see cref="Limits.MaxInstanceFileBytes"/>. Writes go through a temporary file renamed over the target.
/// </summary>
internal static class InstanceFiles
{
    /// <summary>Writes <paramref name="bytes"/> atomically; owner read/write only when <paramref name="secret"/>.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, bool secret)
    {
        string temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            // Created with 0600 from the start: the key is never readable by others, not even briefly.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Writes text (UTF-8) atomically.</summary>
    public static void WriteText(string path, string text, bool secret) => Write(path, Encoding.UTF8.GetBytes(text), secret);

    /// <summary>Reads a file of the instance, bounded; SC8001 when missing, SC8003 when too large or unreadable.</summary>
    public static byte[] Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > Limits.MaxInstanceFileBytes)
            {
                throw InstanceErrors.InstanceFileInvalid.ToException($"'{Path.GetFileName(path)}' is larger than {Limits.MaxInstanceFileBytes} bytes");
            }

            byte[] bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException ex)
        {
            throw InstanceErrors.InstanceNotInitialised.ToException($"'{Path.GetFileName(path)}' is missing in {Path.GetDirectoryName(path)}", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw InstanceErrors.InstanceNotInitialised.ToException($"{Path.GetDirectoryName(path)} does not exist", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InstanceErrors.InstanceFileInvalid.ToException($"'{Path.GetFileName(path)}': {ex.Message}", ex);
        }
    }

    /// <summary>Writes an ECDSA private key as PKCS#8 PEM (0600).</summary>
    public static void WriteKey(string path, ECDsa key) =>
        WriteText(path, PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8PrivateKey()), secret: true);

    /// <summary>Reads an ECDSA private key (PKCS#8 PEM); SC8003 when it is not one.</summary>
    public static ECDsa ReadEcdsaKey(string path)
    {
        string pem = Encoding.UTF8.GetString(Read(path));
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw InstanceErrors.InstanceFileInvalid.ToException($"'{Path.GetFileName(path)}' is not an ECDSA private key", ex);
        }
    }

    /// <summary>Writes a certificate as PEM.</summary>
    public static void WriteCertificate(string path, X509Certificate2 certificate) =>
        WriteText(path, PemEncoding.WriteString("CERTIFICATE", certificate.RawData), secret: false);

    /// <summary>Reads a PEM certificate; SC8003 when it is not one.</summary>
    public static X509Certificate2 ReadCertificate(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(Encoding.UTF8.GetString(Read(path)));
        }
        catch (CryptographicException ex)
        {
            throw InstanceErrors.InstanceFileInvalid.ToException($"'{Path.GetFileName(path)}' is not a PEM certificate", ex);
        }
    }

    /// <summary>Reads a PEM certificate with its ECDSA private key from a separate file.</summary>
    public static X509Certificate2 ReadCertificateWithKey(string certificatePath, string keyPath)
    {
        using X509Certificate2 certificate = ReadCertificate(certificatePath);
        using ECDsa key = ReadEcdsaKey(keyPath);
        try
        {
            return certificate.CopyWithPrivateKey(key);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or CryptographicException)
        {
            throw InstanceErrors.InstanceFileInvalid.ToException($"'{Path.GetFileName(keyPath)}' is not the key of '{Path.GetFileName(certificatePath)}'", ex);
        }
    }
}
