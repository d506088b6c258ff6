namespace SupplyChain.Testing.Oci;

/// <summary>
/// Builds a real image hierarchy with <c>umoci</c> in one OCI layout, the way a layered build does it: an image from
/// scratch with one layer, then children that copy their parent (<c>umoci config --tag</c>, dropping its labels and
/// annotations) and add a layer on top, each with the base-image claim as manifest annotations or config labels.
/// <see cref="Push"/> copies a tag to a registry with <c>skopeo</c>. Dispose deletes the layout.
/// </summary>
public sealed class UmociChain : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("sc-umoci-chain-").FullName;
    private readonly string _layout;

    /// <summary>Creates an empty layout.</summary>
    public UmociChain()
    {
        _layout = Path.Combine(_work, "layout");
        DistributionRegistry.Run("umoci", "init", "--layout", _layout);
    }

    /// <summary>Creates <paramref name="tag"/> from scratch with one layer (a file with unique content).</summary>
    public void FromScratch(string tag)
    {
        DistributionRegistry.Run("umoci", "new", "--image", Image(tag));
        AddLayer(tag);
    }

    /// <summary>Creates <paramref name="tag"/> as <paramref name="parentTag"/> plus <paramref name="layers"/> layers (labels and annotations not inherited).</summary>
    public void Derive(string parentTag, string tag, int layers = 1)
    {
        DistributionRegistry.Run("umoci", "config", "--image", Image(parentTag), "--tag", tag, "--clear=config.labels", "--clear=manifest.annotations");
        for (int i = 0; i < layers; i++)
        {
            AddLayer(tag);
        }
    }

    /// <summary>Adds a layer with one file of unique content to <paramref name="tag"/>.</summary>
    public void AddLayer(string tag)
    {
        string file = Path.Combine(_work, "file-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "layer of " + tag + " " + Guid.NewGuid());

        // --rootless: umoci otherwise wants root to preserve ownership; it works as root too.
        DistributionRegistry.Run("umoci", "insert", "--rootless", "--image", Image(tag), file, "/" + Path.GetFileName(file));
    }

    /// <summary>Sets the manifest annotations and config labels of <paramref name="tag"/> (previous ones cleared).</summary>
    public void Claim(string tag, IReadOnlyDictionary<string, string>? annotations = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        var args = new List<string> { "config", "--image", Image(tag), "--clear=config.labels", "--clear=manifest.annotations" };
        foreach ((string key, string value) in annotations ?? new Dictionary<string, string>())
        {
            args.AddRange(["--manifest.annotation", key + "=" + value]);
        }

        foreach ((string key, string value) in labels ?? new Dictionary<string, string>())
        {
            args.AddRange(["--config.label", key + "=" + value]);
        }

        DistributionRegistry.Run("umoci", [.. args]);
    }

    /// <summary>Pushes <paramref name="tag"/> to <c>registry/repository:tag</c> with skopeo and returns the pushed manifest's digest.</summary>
    public string Push(DistributionRegistry registry, string tag, string repository)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string digestFile = Path.Combine(_work, "digest-" + Guid.NewGuid().ToString("N"));
        DistributionRegistry.Run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--digestfile", digestFile, "oci:" + Image(tag), $"docker://{registry.Host}/{repository}:{tag}");
        return File.ReadAllText(digestFile).Trim();
    }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Image(string tag) => _layout + ":" + tag;
}
