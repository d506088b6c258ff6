using SupplyChain.Oci.Registry;

namespace SupplyChain.Policy.Evidence;

/// <summary>The image whose signatures are asked for: its repository at its platform manifest's digest, and the index it was resolved from, if any (a signature on that index covers it).</summary>
public sealed class EvidenceSubject
{
    /// <summary>Creates a subject.</summary>
    /// <param name="image">The repository at the platform manifest's digest.</param>
    /// <param name="indexDigest">The index's digest, or <c>null</c>.</param>
    public EvidenceSubject(ImageReference image, string? indexDigest)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Digest is null)
        {
            throw new ArgumentException("the subject must be named by digest", nameof(image));
        }

        Image = image;
        IndexDigest = indexDigest;
    }

    /// <summary>The repository at the platform manifest's digest.</summary>
    public ImageReference Image { get; }

    /// <summary>The platform manifest's digest.</summary>
    public string Digest => Image.Digest!;

    /// <summary>The digest of the index the manifest was resolved from, or <c>null</c>.</summary>
    public string? IndexDigest { get; }
}
