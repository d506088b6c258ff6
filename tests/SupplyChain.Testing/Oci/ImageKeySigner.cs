using System.Security.Cryptography;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// Signs images on a real registry with one ECDSA P-256 key, as <c>cosign sign --key</c> (v3 bundle format) does: a
/// DSSE in-toto statement naming the manifest digest, recorded in the <see cref="VirtualSigstore"/>'s Rekor v1 log
/// (key-signed signatures still need a transparency-log entry), attached as a bundle referrer (on distribution 2.8
/// through the tag-schema index). Verifies with the sigstore's trusted root and a policy pinning <see cref="PublicKeyPem"/>.
/// </summary>
public sealed class ImageKeySigner : IDisposable
{
    private readonly VirtualSigstore _sigstore;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Creates a signer with a fresh key.</summary>
    /// <param name="sigstore">The log (and trusted root) the signatures are recorded in.</param>
    public ImageKeySigner(VirtualSigstore sigstore)
    {
        _sigstore = sigstore ?? throw new ArgumentNullException(nameof(sigstore));
    }

    /// <summary>The public key, PEM (SubjectPublicKeyInfo), as a policy's <c>key.pem</c> or <c>key.path</c> file holds it.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Signs <paramref name="image"/> (<c>host/repository[:tag]@digest</c>, or a tag, resolved first).</summary>
    /// <param name="client">A client of the image's registry.</param>
    /// <param name="image">The image.</param>
    /// <param name="cancellationToken">Cancels the pushes.</param>
    /// <returns>The signed manifest's digest.</returns>
    public async Task<string> SignAsync(IOciRegistry client, string image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ImageReference reference = ImageReference.Parse(image);
        OciDescriptor manifest = await client.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        byte[] statement = ImageStatements.Signature(reference, manifest.Digest);
        byte[] bundle = _sigstore.SignDsse(Core.Attestations.Dsse.InTotoPayloadType, statement, new SigningOptions { KeyPair = _key });
        await new ImageSignatureAttacher(client).AttachBundleAsync(reference, manifest, bundle, cancellationToken).ConfigureAwait(false);
        return manifest.Digest;
    }

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();
}
