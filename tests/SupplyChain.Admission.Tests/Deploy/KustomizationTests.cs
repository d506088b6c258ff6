namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>admission/deploy is a complete kustomize tree: every file listed, every listed file present, every object in place.</summary>
public class KustomizationTests
{
    private static readonly string[] ClusterScopedKinds = ["Namespace", "ValidatingWebhookConfiguration"];

    [Fact]
    public void The_base_lists_every_yaml_file_in_its_folder_and_nothing_else()
    {
        var onDisk = Directory.GetFiles(DeployManifests.Base, "*.y*ml").Select(f => Path.GetFileName(f)).Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal).ToList();
        var listed = DeployManifests.Listed(DeployManifests.Base, "resources").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(onDisk, listed);
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_default_install_and_the_air_gapped_overlay_build_on_the_base()
    {
        Assert.Equal(["base"], DeployManifests.Listed(DeployManifests.Root, "bases", "resources"));
        Assert.Equal(["../../base"], DeployManifests.Listed(DeployManifests.AirGapped, "bases", "resources"));
        var patches = DeployManifests.Listed(DeployManifests.AirGapped, "patchesStrategicMerge");
        var onDisk = Directory.GetFiles(DeployManifests.AirGapped, "*.y*ml").Select(f => Path.GetFileName(f)).Where(f => f != "kustomization.yaml").ToList();
        Assert.Equal(onDisk.Order(StringComparer.Ordinal), patches.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_base_has_every_object_the_issue_asks_for_once()
    {
        var kinds = DeployManifests.BaseObjects.Select(o => o["kind"].Str).ToList();
        foreach (string kind in new[] { "Namespace", "ServiceAccount", "Deployment", "PodDisruptionBudget", "Service", "ConfigMap", "ValidatingWebhookConfiguration" })
        {
            Assert.Single(kinds, k => k == kind);
        }

        Assert.Contains("Certificate", kinds);
        Assert.Contains("Issuer", kinds);
        var ids = DeployManifests.BaseObjects.Select(o => $"{o["kind"].Str}/{o["metadata"]["name"].Str}").ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_namespaced_object_is_in_the_webhook_namespace_and_cluster_scoped_ones_name_none()
    {
        Assert.Equal(DeployManifests.Namespace, DeployManifests.Single(DeployManifests.BaseObjects, "Namespace")["metadata"]["name"].Str);
        Assert.All(DeployManifests.BaseObjects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o["apiVersion"].Str), o.Path);
            Assert.False(string.IsNullOrEmpty(o["metadata"]["name"].Str), o.Path);
            string? ns = o["metadata"]["namespace"].Str;
            Assert.True(ClusterScopedKinds.Contains(o["kind"].Str) ? ns is null : ns == DeployManifests.Namespace, $"{o.Path} ({o["kind"].Str}) namespace '{ns}'");
        });
    }

    [Fact]
    public void Every_object_carries_the_name_label_and_the_base_adds_part_of()
    {
        Assert.All(DeployManifests.BaseObjects, o => Assert.Equal("supplychain-admission", o["metadata"]["labels"]["app.kubernetes.io/name"].Str));
        Yaml k = Yaml.LoadOne(Path.Combine(DeployManifests.Base, "kustomization.yaml"));
        Assert.Equal("supplychain", k["commonLabels"]["app.kubernetes.io/part-of"].Str);
    }
}
