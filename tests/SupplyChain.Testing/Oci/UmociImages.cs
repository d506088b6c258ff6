namespace SupplyChain.Testing.Oci;

/// <summary>
/// Builds a realistic OCI image with <c>umoci</c> (no daemon: <c>init</c>, <c>new</c>, <c>insert</c>, <c>config</c>)
/// and pushes it with <c>skopeo copy</c>, the way a user's tooling would, so the client is tested on images it did not write.
/// </summary>
public static class UmociImages
{
    /// <summary>Whether umoci and skopeo are installed.</summary>
    public static bool IsAvailable => File.Exists("/usr/bin/umoci") && File.Exists("/usr/bin/skopeo");

    /// <summary>Builds an image with one file, a label and a manifest annotation, and pushes it to <paramref name="registry"/>.</summary>
    /// <param name="registry">The running registry.</param>
    /// <param name="repository">The repository to push to.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="labels">Config labels (<c>--config.label</c>).</param>
    /// <param name="annotations">Manifest annotations (<c>--manifest.annotation</c>).</param>
    /// <returns>The pushed manifest's digest, as skopeo reports it.</returns>
    public static string BuildAndPush(DistributionRegistry registry, string repository, string tag, IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        string work = Directory.CreateTempSubdirectory("sc-umoci-").FullName;
        try
        {
            string layout = Path.Combine(work, "layout");
            string image = layout + ":" + tag;
            DistributionRegistry.Run("umoci", "init", "--layout", layout);
            DistributionRegistry.Run("umoci", "new", "--image", image);
            string file = Path.Combine(work, "hello.txt");
            File.WriteAllText(file, "hello from " + repository + ":" + tag + " " + Guid.NewGuid());

            // --rootless: umoci otherwise wants root to preserve ownership; it works as root too.
            DistributionRegistry.Run("umoci", "insert", "--rootless", "--image", image, file, "/hello.txt");
            var config = new List<string> { "config", "--image", image };
            foreach ((string key, string value) in labels ?? new Dictionary<string, string>())
            {
                config.Add("--config.label");
                config.Add(key + "=" + value);
            }

            foreach ((string key, string value) in annotations ?? new Dictionary<string, string>())
            {
                config.Add("--manifest.annotation");
                config.Add(key + "=" + value);
            }

            if (config.Count > 3)
            {
                DistributionRegistry.Run("umoci", [.. config]);
            }

            string digestFile = Path.Combine(work, "digest");
            var copy = new List<string> { "copy", "--quiet", "--dest-tls-verify=false", "--digestfile", digestFile };
            if (registry.Credentials is { } credentials)
            {
                copy.Add("--dest-creds");
                copy.Add(credentials.User + ":" + credentials.Password);
            }

            copy.Add("oci:" + image);
            copy.Add($"docker://{registry.Host}/{repository}:{tag}");
            DistributionRegistry.Run("skopeo", [.. copy]);
            return File.ReadAllText(digestFile).Trim();
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
