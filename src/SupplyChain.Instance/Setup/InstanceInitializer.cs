using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Instance.Ca;
using SupplyChain.Instance.Keys;
using SupplyChain.Instance.Log;
using SupplyChain.Instance.Timestamps;

namespace SupplyChain.Instance.Setup;

/// <summary>Creates an instance directory: keys (0600), certificates, config, trusted root and signing config.</summary>
internal static class InstanceInitializer
{
    private static readonly string[] OwnedEntries = ["ca", "ctlog", "tlog", "tsa", "oidc", "config.json", "trusted_root.json", "signing_config.json"];

    public static void Initialize(InstancePaths paths, bool force, LocalInstanceOptions options)
    {
        if (File.Exists(paths.Config))
        {
            if (!force)
            {
                throw InstanceErrors.InstanceExists.ToException(paths.Directory);
            }

            RemoveOwnedEntries(paths);
        }

        int port = options.Port ?? InstanceConfig.DefaultPort;
        if (port is <= 0 or > 65535)
        {
            throw InstanceErrors.ConfigurationInvalid.ToException($"port {port} is outside 1-65535");
        }

        try
        {
            CreateDirectories(paths);
            DateTimeOffset now = options.TimeProvider.GetUtcNow();

            // A per-instance origin: two instances never share a log name, so a checkpoint of one never vouches for the other.
            string origin = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)) + ".log.supplychain.localhost";
            var config = new InstanceConfig { Port = port, LogOrigin = origin };

            (X509Certificate2 root, X509Certificate2 intermediate, ECDsa rootKey, ECDsa intermediateKey) = LocalCertificateAuthority.CreateChain(now);
            using (root)
            using (intermediate)
            using (rootKey)
            using (intermediateKey)
            using (ECDsa ctKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            using (ECDsa oidcKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                InstanceFiles.WriteCertificate(paths.CaRootCertificate, root);
                InstanceFiles.WriteKey(paths.CaRootKey, rootKey);
                InstanceFiles.WriteCertificate(paths.CaIntermediateCertificate, intermediate);
                InstanceFiles.WriteKey(paths.CaIntermediateKey, intermediateKey);
                InstanceFiles.WriteKey(paths.CtLogKey, ctKey);
                InstanceFiles.WriteKey(paths.OidcKey, oidcKey);

                CheckpointSigner signer = CheckpointSigner.Generate(origin);
                InstanceFiles.WriteText(paths.TlogKey, signer.ToPkcs8Pem(), secret: true);

                (X509Certificate2 tsaRoot, X509Certificate2 tsaLeaf, ECDsa tsaKey) = LocalTimestampAuthority.CreateChain(now);
                using (tsaRoot)
                using (tsaLeaf)
                using (tsaKey)
                {
                    InstanceFiles.WriteCertificate(paths.TsaRootCertificate, tsaRoot);
                    InstanceFiles.WriteCertificate(paths.TsaLeafCertificate, tsaLeaf);
                    InstanceFiles.WriteKey(paths.TsaLeafKey, tsaKey);
                    byte[] ctSpki = ctKey.ExportSubjectPublicKeyInfo();
                    string trustedRoot = TrustDocuments.TrustedRoot([intermediate, root], ctSpki, origin, signer.PublicKeySpki, signer.LogId, [tsaLeaf, tsaRoot], now.AddMinutes(-5));
                    InstanceFiles.WriteText(paths.TrustedRoot, trustedRoot, secret: false);
                }
            }

            InstanceFiles.WriteText(paths.SigningConfig, TrustDocuments.SigningConfig(config.ServeUrl, now.AddMinutes(-5)), secret: false);

            // The config last: its presence marks a complete instance (Exists, Open).
            InstanceFiles.Write(paths.Config, config.ToJson(), secret: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw InstanceErrors.InstanceFileInvalid.ToException($"{paths.Directory}: {ex.Message}", ex);
        }
    }

    private static void CreateDirectories(InstancePaths paths)
    {
        foreach (string file in new[] { paths.CaRootKey, paths.CtLogKey, paths.TlogKey, paths.TsaLeafKey, paths.OidcKey })
        {
            string directory = Path.GetDirectoryName(file)!;
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                // Directories of private keys are the owner's only (0700).
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }

    /// <summary>Removes what <c>init</c> created, and nothing else (the directory may hold the user's own files).</summary>
    private static void RemoveOwnedEntries(InstancePaths paths)
    {
        foreach (string entry in OwnedEntries)
        {
            string path = Path.Combine(paths.Directory, entry);
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
