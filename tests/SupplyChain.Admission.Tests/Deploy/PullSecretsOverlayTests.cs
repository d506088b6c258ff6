namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// overlays/pull-secrets: the base's flags plus <c>--pull-secrets=in-cluster</c>, the service account token mounted, and
/// RBAC of exactly <c>get</c> on <c>secrets</c> and <c>serviceaccounts</c> (no list, no watch, nothing else).
/// </summary>
public sealed class PullSecretsOverlayTests
{
    private static string Folder => Path.Combine(DeployManifests.Root, "overlays", "pull-secrets");

    [Fact]
    public void The_overlay_adds_only_the_pull_secrets_flag_and_the_token()
    {
        Yaml deployment = Yaml.LoadOne(Path.Combine(Folder, "deployment-pull-secrets.yaml"));
        var overlay = ServerFlags.Parse(DeployManifests.Container(deployment)["args"].Strings);
        var baseFlags = ServerFlags.Parse(DeployManifests.Container(DeployManifests.Deployment)["args"].Strings);
        Assert.All(overlay.Keys, f => Assert.Contains(f, ServerFlags.Names));
        Assert.Equal("in-cluster", overlay["--pull-secrets"]);
        Assert.Equal(baseFlags.OrderBy(f => f.Key), overlay.Where(f => f.Key != "--pull-secrets").OrderBy(f => f.Key));
        Assert.Equal("true", deployment["spec"]["template"]["spec"]["automountServiceAccountToken"].Str);
        Assert.Equal("true", Yaml.LoadOne(Path.Combine(Folder, "serviceaccount-token.yaml"))["automountServiceAccountToken"].Str);
    }

    [Fact]
    public void The_role_grants_get_on_secrets_and_serviceaccounts_and_nothing_else()
    {
        IReadOnlyList<Yaml> rbac = Yaml.LoadAll(File.ReadAllText(Path.Combine(Folder, "rbac.yaml")), "rbac.yaml");
        Yaml role = DeployManifests.Single(rbac, "ClusterRole");
        Yaml rule = Assert.Single(role["rules"].Items);
        Assert.Equal([string.Empty], rule["apiGroups"].Strings);
        Assert.Equal(["secrets", "serviceaccounts"], rule["resources"].Strings.Order());
        Assert.Equal(["get"], rule["verbs"].Strings);
        Assert.False(rule["resourceNames"].Exists);

        Yaml binding = DeployManifests.Single(rbac, "ClusterRoleBinding");
        Assert.Equal(role["metadata"]["name"].Str, binding["roleRef"]["name"].Str);
        Yaml subject = Assert.Single(binding["subjects"].Items);
        Assert.Equal("supplychain-admission", subject["name"].Str);
        Assert.Equal(DeployManifests.Namespace, subject["namespace"].Str);
    }
}
