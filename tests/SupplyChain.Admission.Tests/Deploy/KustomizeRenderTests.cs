namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// What `kubectl apply -k` would send: the default install and the air-gapped overlay rendered by kubectl's own kustomize
/// (Debian's kubectl 1.20 embeds kustomize 2.0; newer kubectl embeds kustomize 5), checked after the transformers ran.
/// </summary>
public class KustomizeRenderTests
{
    [KubectlFact]
    public async Task The_default_install_renders_every_base_object_labelled_and_in_place()
    {
        IReadOnlyList<Yaml> rendered = await Kubectl.KustomizeAsync(DeployManifests.Root);
        Assert.Equal(Ids(DeployManifests.BaseObjects), Ids(rendered));
        Assert.All(rendered, o => Assert.Equal("supplychain", o["metadata"]["labels"]["app.kubernetes.io/part-of"].Str));
        Assert.Null(DeployManifests.Single(rendered, "ValidatingWebhookConfiguration")["metadata"]["namespace"].Str);
        AssertConsistent(rendered);
        Assert.Equal(
            DeployManifests.Container(DeployManifests.Deployment)["args"].Strings,
            DeployManifests.Container(DeployManifests.Single(rendered, "Deployment"))["args"].Strings);
    }

    [KubectlFact]
    public async Task The_air_gapped_overlay_renders_one_deployment_with_the_trusted_root_and_no_tuf()
    {
        IReadOnlyList<Yaml> rendered = await Kubectl.KustomizeAsync(DeployManifests.AirGapped);
        Assert.Equal(Ids(DeployManifests.BaseObjects), Ids(rendered));
        AssertConsistent(rendered);
        Yaml deployment = DeployManifests.Single(rendered, "Deployment");
        var flags = ServerFlags.Parse(DeployManifests.Container(deployment)["args"].Strings);
        Assert.StartsWith("/etc/supplychain/trust/", flags["--trusted-root"], StringComparison.Ordinal);
        Assert.DoesNotContain(flags.Keys, f => f.StartsWith("--tuf-", StringComparison.Ordinal));
        var mounts = DeployManifests.Container(deployment)["volumeMounts"].Items.Select(m => m["name"].Str).ToList();
        var volumes = deployment["spec"]["template"]["spec"]["volumes"].Items.Select(v => v["name"].Str).ToList();
        Assert.Contains("trusted-root", mounts);
        Assert.Contains("tls", mounts);      // the patch merged into the base's mounts, not replaced them
        Assert.Equal(mounts.Order(StringComparer.Ordinal), volumes.Order(StringComparer.Ordinal));
        Assert.Equal(3, deployment["spec"]["replicas"].Int);
    }

    /// <summary>Selectors still select the pods and the webhook still names the rendered Service and Certificate.</summary>
    private static void AssertConsistent(IReadOnlyList<Yaml> rendered)
    {
        Yaml deployment = DeployManifests.Single(rendered, "Deployment");
        var podLabels = DeployManifests.PodLabels(deployment);
        DeployManifests.AssertSelects(deployment["spec"]["selector"], podLabels);
        DeployManifests.AssertSelects(DeployManifests.Single(rendered, "PodDisruptionBudget")["spec"]["selector"], podLabels);
        Yaml service = DeployManifests.Single(rendered, "Service");
        DeployManifests.AssertSelectsByLabels(service["spec"]["selector"], podLabels);

        Yaml configuration = DeployManifests.Single(rendered, "ValidatingWebhookConfiguration");
        Yaml target = Assert.Single(configuration["webhooks"].Items)["clientConfig"]["service"];
        Assert.Equal(service["metadata"]["name"].Str, target["name"].Str);
        Assert.Equal(service["metadata"]["namespace"].Str, target["namespace"].Str);
        string[] inject = configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"].Str!.Split('/');
        Yaml certificate = DeployManifests.Single(rendered, "Certificate", inject[1]);
        Assert.Equal(inject[0], certificate["metadata"]["namespace"].Str);
    }

    private static List<string> Ids(IEnumerable<Yaml> objects) =>
        [.. objects.Select(o => $"{o["kind"].Str}/{o["metadata"]["namespace"].Str}/{o["metadata"]["name"].Str}").Order(StringComparer.Ordinal)];
}
