using System.Security.Cryptography;
using System.Text;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Certificates;
using SupplyChain.Core.Trust;
using SupplyChain.Fuzz.Targets;
using SupplyChain.Instance;
using SupplyChain.Instance.Log;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Fuzz;

/// <summary>
/// <c>SupplyChain.Fuzz seeds CORPUS</c>: writes the seeds that are derived rather than copied (<c>gen-*</c> files in
/// <c>CORPUS/TARGET</c>): certificates, SCT lists, timestamps and checkpoints taken out of the fixture bundles, a
/// checkpoint signed with the harness key, a cosign key with small scrypt parameters, legacy signature manifests, and
/// the requests a real signing run sends to the local instance (recorded through its in-process handler).
/// </summary>
internal static class SeedWriter
{
    public static int Run(string corpus)
    {
        SigstoreBundle[] bundles = [Fixtures.MessageBundle, Fixtures.DsseBundle, Fixtures.Rekor2Bundle];
        for (int i = 0; i < bundles.Length; i++)
        {
            CertificateDer leaf = CertificateDer.Parse(bundles[i].VerificationMaterial.LeafCertificate.ToArray());
            Write(corpus, "certificate", $"leaf{i}", bundles[i].VerificationMaterial.LeafCertificate.ToArray());
            if (leaf.TryGetExtension(CertificateProfile.SctListOid, out CertificateExtension sct))
            {
                Write(corpus, "sct-list", $"leaf{i}", sct.Value.ToArray());
            }

            foreach (TransparencyLogEntry entry in bundles[i].VerificationMaterial.TlogEntries)
            {
                if (entry.InclusionProof?.Checkpoint is { } checkpoint)
                {
                    Write(corpus, "checkpoint", $"bundle{i}", Encoding.UTF8.GetBytes(checkpoint));
                }
            }

            foreach (ReadOnlyMemory<byte> timestamp in bundles[i].VerificationMaterial.Rfc3161Timestamps)
            {
                Write(corpus, "timestamp", $"bundle{i}", timestamp.ToArray());
            }
        }

        Write(corpus, "certificate", "fulcio-intermediate", TrustedRoot.Production.CertificateAuthorities[^1].Chain[0].RawData);
        Write(corpus, "certificate", "tsa", Fixtures.Rekor2Root.TimestampAuthorities[0].Chain[0].RawData);
        string body = "fuzz.example/log\n5\n" + Convert.ToBase64String(SHA256.HashData("root"u8)) + "\n";
        Write(corpus, "checkpoint", "harness-key", Encoding.UTF8.GetBytes(CheckpointTarget.Signer.Value.SignNote(body)));

        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            byte[] pkcs8 = ecdsa.ExportPkcs8PrivateKey();
            string pem = CosignKeyFile.Encrypt(pkcs8, CosignKeyTarget.Password, 16, 8, 1);
            Write(corpus, "cosign-key", "ecdsa-n16", Encoding.UTF8.GetBytes(pem));
            Write(corpus, "cosign-key", "ecdsa-pkcs8", Encoding.UTF8.GetBytes(ecdsa.ExportPkcs8PrivateKeyPem()));
            Write(corpus, "cosign-key", "ecdsa-sec1", Encoding.UTF8.GetBytes(ecdsa.ExportECPrivateKeyPem()));
        }

        var layers = new List<OciDescriptor>();
        foreach (SigstoreBundle bundle in bundles)
        {
            byte[] payload = SimpleSigningPayload.Create("registry.example/app", "sha256:" + new string('a', 64));
            layers.Add(new OciDescriptor(SignatureMediaTypes.SimpleSigning, Digests.Sha256(payload), payload.Length)
            {
                Annotations = LegacySignatureLayer.Annotations(bundle, null),
            });
        }

        Write(corpus, "oci-manifest", "legacy-cosign", SignatureManifests.Legacy(layers).Manifest);
        var subject = new OciDescriptor(OciMediaTypes.ImageManifest, "sha256:" + new string('a', 64), 100);
        Write(corpus, "oci-manifest", "bundle-referrer", SignatureManifests.BundleReferrer(subject, bundles[0].ToJson(), "message", null, DateTimeOffset.UnixEpoch));
        Write(corpus, "tile-entry-bundle", "two", [1, .. EntryBundle.Encode([[1, 2, 3], "{}"u8.ToArray()])]);

        RecordInstanceRequests(corpus);
        return 0;
    }

    /// <summary>Signs through the local instance's in-process handler and keeps each request as an instance-http seed.</summary>
    private static void RecordInstanceRequests(string corpus)
    {
        string dir = Path.Combine(Path.GetTempPath(), "supplychain-fuzz-seeds-" + Environment.ProcessId);
        LocalInstance.Initialize(dir, force: true);
        using LocalInstance instance = LocalInstance.Open(dir);
        var requests = new List<(string Path, string? ContentType, byte[] Body)>();
        using var recorder = new RecordingHandler(instance.CreateHttpHandler(), requests);
        foreach (bool csr in (bool[])[false, true])
        {
            using var signer = new BundleSigner(new BundleSignerOptions
            {
                TrustedMaterial = instance.LoadTrustedRoot(),
                SigningConfig = instance.LoadSigningConfig(),
                Transport = recorder,
                RequireTimestamp = true,
                UseCertificateSigningRequest = csr,
            });
            var token = instance.MintIdentityToken();
            SigstoreBundle message = signer.SignMessageAsync(new MemoryStream(Fixtures.ConformanceArtifact.ToArray()), token).GetAwaiter().GetResult();
            Write(corpus, "bundle", $"local-instance-message-{csr}", message.ToJson());
            SigstoreBundle dsse = signer.SignDsseAsync("application/vnd.in-toto+json", Fixtures.Read("statement.json"), token).GetAwaiter().GetResult();
            Write(corpus, "bundle", $"local-instance-dsse-{csr}", dsse.ToJson());
            foreach ((SigstoreBundle signed, string shape) in (ReadOnlySpan<(SigstoreBundle, string)>)[(message, "message"), (dsse, "dsse")])
            {
                foreach (TransparencyLogEntry entry in signed.VerificationMaterial.TlogEntries)
                {
                    byte selector = entry.Kind == "dsse" ? (byte)(0x80 | 3) : (byte)1;
                    Write(corpus, "rekor-body", $"local-{shape}-{entry.Kind}-{csr}", [selector, .. entry.CanonicalizedBody.Span]);
                }

                foreach (ReadOnlyMemory<byte> timestamp in signed.VerificationMaterial.Rfc3161Timestamps)
                {
                    Write(corpus, "timestamp", $"local-{shape}-{csr}", timestamp.ToArray());
                }
            }

            string raw = token.RawToken;
            int index = 0;
            foreach ((string path, string? contentType, byte[] body) in requests)
            {
                index++;
                int endpoint = path switch
                {
                    "/api/v2/signingCert" => 0,
                    "/api/v2/log/entries" => 1,
                    _ => contentType?.StartsWith("application/json", StringComparison.Ordinal) == true ? 3 : 2,
                };
                byte[] seed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(raw, "$TOKEN", StringComparison.Ordinal));
                Write(corpus, "instance-http", $"{path.Trim('/').Replace('/', '-')}-{csr}-{index}", [(byte)endpoint, .. endpoint == 2 ? body : seed]);
            }

            requests.Clear();
        }

        foreach (string path in (string[])["checkpoint", "tile/0/000.p/2", "tile/entries/000.p/2"])
        {
            Write(corpus, "instance-http", "get-" + path.Replace('/', '-'), [4, .. Encoding.UTF8.GetBytes(path)]);
        }

        Directory.Delete(dir, recursive: true);
    }

    private static void Write(string corpus, string target, string name, byte[] bytes)
    {
        string dir = Path.Combine(corpus, target);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "gen-" + name), bytes);
    }

    private sealed class RecordingHandler(HttpMessageHandler inner, List<(string Path, string? ContentType, byte[] Body)> requests) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is { } content)
            {
                byte[] body = await content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                requests.Add((request.RequestUri!.AbsolutePath, content.Headers.ContentType?.MediaType, body));
            }

            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}
