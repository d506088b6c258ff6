using SupplyChain.Oci.Lineage;

namespace SupplyChain.Testing.Oci;

/// <summary>
/// The good 3-level hierarchy on a real registry, built by <see cref="UmociChain"/> and pushed by skopeo: scratch ->
/// base (declares <c>base.name: scratch</c>) -> runtime (claims the base in manifest annotations) -> app (claims the
/// runtime in config labels, as the .NET SDK writes them, 2 layers added). The caller signs: base and runtime with the
/// publisher's key, the app with the CI's. Shared by the CLI lineage tests and the admission webhook's integration
/// tests. Each image is <c>host/repository:tag@digest</c>.
/// </summary>
/// <param name="Base">The base image.</param>
/// <param name="Runtime">The runtime image.</param>
/// <param name="App">The application image.</param>
public sealed record UmociLineage(string Base, string Runtime, string App)
{
    /// <summary>Builds, pushes and signs the chain under <c>{run}/base</c>, <c>{run}/runtime</c> and <c>{run}/app</c>.</summary>
    /// <param name="umoci">The layout to build in (its tags <c>base</c>, <c>runtime</c>, <c>app</c> are used).</param>
    /// <param name="registry">The registry to push to.</param>
    /// <param name="run">The repository prefix.</param>
    /// <param name="signPublisher">Signs a base or runtime image (by digest).</param>
    /// <param name="signApp">Signs the application image (by digest).</param>
    /// <returns>The pushed chain.</returns>
    public static UmociLineage Push(UmociChain umoci, DistributionRegistry registry, string run, Action<string> signPublisher, Action<string> signApp)
    {
        ArgumentNullException.ThrowIfNull(umoci);
        ArgumentNullException.ThrowIfNull(signPublisher);
        ArgumentNullException.ThrowIfNull(signApp);
        umoci.FromScratch("base");
        umoci.Claim("base", annotations: new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        string @base = Pushed(umoci, registry, "base", $"{run}/base");
        umoci.Derive("base", "runtime");
        umoci.Claim("runtime", annotations: Claim(@base));
        string runtime = Pushed(umoci, registry, "runtime", $"{run}/runtime");
        umoci.Derive("runtime", "app", layers: 2);
        umoci.Claim("app", labels: Claim(runtime));
        string app = Pushed(umoci, registry, "app", $"{run}/app");
        signPublisher(@base);
        signPublisher(runtime);
        signApp(app);
        return new UmociLineage(@base, runtime, app);
    }

    /// <summary>Pushes <paramref name="tag"/> of <paramref name="chain"/> and returns <c>host/repository:tag@digest</c>.</summary>
    /// <param name="chain">The layout.</param>
    /// <param name="registry">The registry.</param>
    /// <param name="tag">The layout tag, also the registry tag.</param>
    /// <param name="repository">The repository.</param>
    /// <returns>The pushed image.</returns>
    public static string Pushed(UmociChain chain, DistributionRegistry registry, string tag, string repository)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(registry);
        return $"{registry.Host}/{repository}:{tag}@{chain.Push(registry, tag, repository)}";
    }

    /// <summary>The truthful base-image claim naming <paramref name="image"/> (<c>host/repository:tag@digest</c>).</summary>
    /// <param name="image">The base.</param>
    /// <returns><c>base.name</c> and <c>base.digest</c>.</returns>
    public static Dictionary<string, string> Claim(string image) => new()
    {
        [BaseImageClaim.NameKey] = WithoutDigest(image),
        [BaseImageClaim.DigestKey] = Digest(image),
    };

    /// <summary>The digest of <c>host/repository:tag@digest</c>.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The digest.</returns>
    public static string Digest(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image[(image.IndexOf('@', StringComparison.Ordinal) + 1)..];
    }

    /// <summary><c>host/repository:tag</c> of <c>host/repository:tag@digest</c>.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The reference without its digest.</returns>
    public static string WithoutDigest(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return image[..image.IndexOf('@', StringComparison.Ordinal)];
    }
}
