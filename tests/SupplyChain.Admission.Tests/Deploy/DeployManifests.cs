using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>The kustomize tree under <c>admission/deploy</c>: the base's objects and the overlays, read as YAML.</summary>
internal static class DeployManifests
{
    /// <summary>The webhook's namespace (every namespaced object lives there).</summary>
    public const string Namespace = "supplychain-system";

    /// <summary><c>admission/deploy</c>.</summary>
    public static string Root => Path.Combine(TestPaths.RepositoryRoot, "admission", "deploy");

    /// <summary><c>admission/deploy/base</c>.</summary>
    public static string Base => Path.Combine(Root, "base");

    /// <summary><c>admission/deploy/overlays/air-gapped</c>.</summary>
    public static string AirGapped => Path.Combine(Root, "overlays", "air-gapped");

    /// <summary>Every object of the base (all documents of every listed resource file).</summary>
    public static IReadOnlyList<Yaml> BaseObjects { get; } = LoadObjects(Base);

    /// <summary>The resource files a kustomization lists (<c>resources</c>, <c>bases</c>, patches), relative to it.</summary>
    public static IReadOnlyList<string> Listed(string folder, params string[] fields)
    {
        Yaml k = Yaml.LoadOne(Path.Combine(folder, "kustomization.yaml"));
        return [.. fields.SelectMany(f => k[f].Strings)];
    }

    /// <summary>The one object of a kind (and name, when given) among <paramref name="objects"/>.</summary>
    public static Yaml Single(IEnumerable<Yaml> objects, string kind, string? name = null) =>
        Assert.Single(objects, o => o["kind"].Str == kind && (name is null || o["metadata"]["name"].Str == name));

    /// <summary>The base's Deployment.</summary>
    public static Yaml Deployment => Single(BaseObjects, "Deployment");

    /// <summary>The webhook container of a Deployment (the only container).</summary>
    public static Yaml Container(Yaml deployment) => Assert.Single(deployment["spec"]["template"]["spec"]["containers"].Items);

    /// <summary>The pod template's labels of a Deployment.</summary>
    public static IReadOnlyDictionary<string, string> PodLabels(Yaml deployment) => deployment["spec"]["template"]["metadata"]["labels"].StringMap;

    /// <summary>Asserts that a label selector's matchLabels select pods with <paramref name="podLabels"/>.</summary>
    public static void AssertSelects(Yaml selector, IReadOnlyDictionary<string, string> podLabels) =>
        AssertSelectsByLabels(selector["matchLabels"], podLabels);

    /// <summary>Asserts that a label map (a Service's selector, a matchLabels) selects pods with <paramref name="podLabels"/>.</summary>
    public static void AssertSelectsByLabels(Yaml labels, IReadOnlyDictionary<string, string> podLabels)
    {
        IReadOnlyDictionary<string, string> match = labels.StringMap;
        Assert.NotEmpty(match);
        Assert.All(match, kv => Assert.True(podLabels.TryGetValue(kv.Key, out string? v) && v == kv.Value, $"{labels.Path}: {kv.Key}={kv.Value} does not select the pods"));
    }

    private static List<Yaml> LoadObjects(string folder) =>
        [.. Listed(folder, "resources").SelectMany(f => Yaml.LoadAll(File.ReadAllText(Path.Combine(folder, f)), f))];
}
