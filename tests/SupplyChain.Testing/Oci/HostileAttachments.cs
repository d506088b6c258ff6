using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// What a registry owner (or anyone who can push to the repository) attaches to an image to make a verifier read much
/// and find nothing: bundle referrers whose one layer is garbage of a chosen size (just under the signature or
/// attestation size limit), and a legacy <c>.sig</c> tag with many fat layers. Works on any <see cref="IOciRegistry"/>
/// (the in-memory one, or docker-registry through the client). The same garbage blob is reused across calls with the
/// same size and seed, so a registry stores it once.
/// </summary>
public static class HostileAttachments
{
    /// <summary>Just under the default signature size limit (1 MiB): read, then rejected as garbage.</summary>
    public const int UnderSignatureLimit = (1024 * 1024) - 64;

    /// <summary>Just under the default attestation size limit (32 MiB).</summary>
    public const int UnderAttestationLimit = (32 * 1024 * 1024) - 64;

    /// <summary>Deterministic garbage: not JSON, not a bundle (a repeated byte pattern of <paramref name="seed"/>).</summary>
    public static byte[] Garbage(int size, int seed = 0)
    {
        byte[] bytes = new byte[size];
        var random = new Random(seed);
        random.NextBytes(bytes.AsSpan(0, Math.Min(size, 4096)));
        for (int i = 4096; i < size; i += 4096)
        {
            bytes.AsSpan(0, Math.Min(4096, size - i)).CopyTo(bytes.AsSpan(i));
        }

        bytes[0] = (byte)'\x01'; // never a JSON document
        return bytes;
    }

    /// <summary>
    /// Pushes <paramref name="count"/> bundle referrers on <paramref name="subject"/>, each one layer of <paramref name="size"/>
    /// bytes of garbage (declared truthfully, so it passes the size check and is downloaded), with or without a predicate
    /// type annotation (<paramref name="predicateType"/>).
    /// </summary>
    public static Task PushGarbageReferrersAsync(IOciRegistry registry, ImageReference repository, OciDescriptor subject, int count, int size, string? predicateType = null, int seed = 0, CancellationToken cancellationToken = default) =>
        PushBundleReferrersAsync(registry, repository, subject, count, Garbage(size, seed), predicateType, cancellationToken);

    /// <summary>
    /// Pushes <paramref name="count"/> bundle referrers on <paramref name="subject"/> whose one layer is <paramref name="bundle"/>
    /// as given (no check: a malformed or rule-breaking bundle the attacher itself would refuse).
    /// </summary>
    public static async Task PushBundleReferrersAsync(IOciRegistry registry, ImageReference repository, OciDescriptor subject, int count, byte[] bundle, string? predicateType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(subject);
        OciDescriptor layer = await registry.PushBlobAsync(repository, SignatureMediaTypes.SigstoreBundle, bundle, cancellationToken).ConfigureAwait(false);
        OciDescriptor config = await registry.PushBlobAsync(repository, OciMediaTypes.Empty, "{}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < count; i++)
        {
            var annotations = new JsonObject { [SignatureMediaTypes.CreatedAnnotation] = "2025-01-01T00:00:" + (i % 60).ToString("00", CultureInfo.InvariantCulture) + "Z", ["n"] = i.ToString(CultureInfo.InvariantCulture) };
            if (predicateType is not null)
            {
                annotations[SignatureMediaTypes.BundlePredicateTypeAnnotation] = predicateType;
            }

            var manifest = new JsonObject
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = OciMediaTypes.ImageManifest,
                ["artifactType"] = SignatureMediaTypes.SigstoreBundle,
                ["config"] = Descriptor(config with { MediaType = OciMediaTypes.Empty }),
                ["layers"] = new JsonArray(Descriptor(layer with { MediaType = SignatureMediaTypes.SigstoreBundle })),
                ["subject"] = Descriptor(new OciDescriptor(subject.MediaType, subject.Digest, subject.Size)),
                ["annotations"] = annotations,
            };
            await registry.PushReferrerAsync(repository, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Pushes a legacy <c>sha256-HEX.sig</c> tag on <paramref name="digest"/> with <paramref name="layers"/> simple-signing
    /// layers, each <paramref name="size"/> bytes of garbage and a garbage signature annotation (cosign reads every layer).
    /// </summary>
    public static async Task PushFatLegacySignaturesAsync(IOciRegistry registry, ImageReference repository, string digest, int layers, int size, int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(digest);
        OciDescriptor blob = await registry.PushBlobAsync(repository, SignatureMediaTypes.SimpleSigning, Garbage(size, seed), cancellationToken).ConfigureAwait(false);
        OciDescriptor config = await registry.PushBlobAsync(repository, OciMediaTypes.ImageConfig, """{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray(), cancellationToken).ConfigureAwait(false);
        var entries = new JsonArray();
        for (int i = 0; i < layers; i++)
        {
            JsonObject entry = Descriptor(blob with { MediaType = SignatureMediaTypes.SimpleSigning });
            entry["annotations"] = new JsonObject { [SignatureMediaTypes.SignatureAnnotation] = Convert.ToBase64String(Garbage(72, seed + i)) };
            entries.Add(entry);
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = Descriptor(config with { MediaType = OciMediaTypes.ImageConfig }),
            ["layers"] = entries,
        };
        string tag = "sha256-" + digest["sha256:".Length..] + ".sig";
        await registry.PushManifestAsync(repository, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()), tag, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject Descriptor(OciDescriptor d) => new() { ["mediaType"] = d.MediaType, ["digest"] = d.Digest, ["size"] = d.Size };
}
