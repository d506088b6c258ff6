using System.Text.Json;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Layout;

/// <summary>
/// A layout's <c>oci-layout</c> marker and <c>index.json</c> (image-spec <c>image-layout.md</c>): "index.json ... MUST be an
/// image index"; its descriptors name the layout's images, tagged by the <c>org.opencontainers.image.ref.name</c>
/// annotation (<c>annotations.md</c>), and (as oras and this library write them) the OCI 1.1 referrers stored in it.
/// </summary>
internal static class LayoutIndex
{
    /// <summary>image-spec annotations.md: "org.opencontainers.image.ref.name Name of the reference for a target".</summary>
    public const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>image-layout.md: "The imageLayoutVersion ... 1.0.0".</summary>
    public const string Version = "1.0.0";

    private const int MaxMarkerBytes = 4096;

    /// <summary>The marker's bytes as this library writes them.</summary>
    public static byte[] Marker => """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray();

    /// <summary>Reads the marker and the index; <c>SC4060</c> when the directory is not a layout.</summary>
    public static OciIndex Read(LayoutDirectory layout)
    {
        RequireMarker(layout);
        byte[] index = layout.Read(LayoutDirectory.IndexFile, Limits.MaxManifestBytes)
            ?? throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} has no {LayoutDirectory.IndexFile}");
        try
        {
            return OciIndex.Parse(index, null);
        }
        catch (Core.Errors.SupplyChainException ex) when (ex.Error != OciErrors.SizeLimitExceeded)
        {
            throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} {LayoutDirectory.IndexFile} is not an image index ({ex.Error.Code})", ex);
        }
    }

    /// <summary>Checks the <c>oci-layout</c> marker alone (<c>SC4060</c>): enough before a read by digest.</summary>
    public static void RequireMarker(LayoutDirectory layout)
    {
        if (!layout.RootExists)
        {
            throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} does not exist");
        }

        byte[] marker = layout.Read(LayoutDirectory.MarkerFile, MaxMarkerBytes)
            ?? throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} has no {LayoutDirectory.MarkerFile} file");
        CheckMarker(layout, marker);
    }

    /// <summary>The index, or an empty one when the directory is not yet a layout (for writers creating it).</summary>
    public static OciIndex ReadOrEmpty(LayoutDirectory layout) =>
        layout.RootExists && layout.FileExists(LayoutDirectory.MarkerFile) ? Read(layout) : OciIndex.Create([]);

    /// <summary>Writes the marker (when missing) and then the index, each atomically: the index is always written last.</summary>
    public static void Write(LayoutDirectory layout, IReadOnlyList<OciDescriptor> manifests, IReadOnlyDictionary<string, string>? annotations)
    {
        if (!layout.FileExists(LayoutDirectory.MarkerFile))
        {
            layout.WriteAtomically(LayoutDirectory.MarkerFile, Marker);
        }

        layout.WriteAtomically(LayoutDirectory.IndexFile, OciIndex.Create(manifests, annotations).ToJson());
    }

    /// <summary>The tag of an index entry, or <c>null</c>.</summary>
    public static string? Tag(OciDescriptor entry) => entry.Annotations is { } a && a.TryGetValue(RefNameAnnotation, out string? name) ? name : null;

    private static void CheckMarker(LayoutDirectory layout, byte[] marker)
    {
        try
        {
            // image-spec image-layout.md: the oci-layout file "MUST be a JSON object" with "imageLayoutVersion".
            if (JsonSerializer.Deserialize(marker, RegistryJsonContext.Default.LayoutMarkerJson)?.ImageLayoutVersion == Version)
            {
                return;
            }
        }
        catch (JsonException)
        {
        }

        throw OciErrors.LayoutInvalid.ToException($"oci:{layout.Root} {LayoutDirectory.MarkerFile} is not {{\"imageLayoutVersion\": \"{Version}\"}}");
    }
}
