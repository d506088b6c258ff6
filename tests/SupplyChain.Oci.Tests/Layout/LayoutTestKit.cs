using System.Text;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Tests.Layout;

/// <summary>A temporary folder for layouts, and referrer manifests to store in them.</summary>
internal sealed class LayoutTestKit : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("sc-layout-").FullName;

    /// <summary><c>oci:{Folder}/{name}</c> (with the tag when given).</summary>
    public ImageReference Layout(string name, string? tag = null) => ImageReference.ParseLayout("oci:" + Path.Combine(Folder, name) + (tag is null ? "" : ":" + tag));

    public string PathOf(string name, params string[] parts) => Path.Combine([Folder, name, .. parts]);

    /// <summary>Pushes an artifact manifest (empty config, one layer) whose subject is <paramref name="subject"/>, as a referrer.</summary>
    public static async Task<OciDescriptor> PushReferrerAsync(IOciRegistry registry, ImageReference repository, OciDescriptor subject, string artifactType, string content = "evidence")
    {
        OciDescriptor empty = await registry.PushBlobAsync(repository, OciMediaTypes.Empty, "{}"u8.ToArray());
        OciDescriptor layer = await registry.PushBlobAsync(repository, "application/octet-stream", Encoding.UTF8.GetBytes(content + Guid.NewGuid()));
        string json = $$"""
            {"schemaVersion":2,"mediaType":"{{OciMediaTypes.ImageManifest}}","artifactType":"{{artifactType}}",
             "config":{"mediaType":"{{OciMediaTypes.Empty}}","digest":"{{empty.Digest}}","size":2},
             "layers":[{"mediaType":"application/octet-stream","digest":"{{layer.Digest}}","size":{{layer.Size}}}],
             "subject":{"mediaType":"{{subject.MediaType}}","digest":"{{subject.Digest}}","size":{{subject.Size}} } }
            """;
        return await registry.PushReferrerAsync(repository, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(json));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
