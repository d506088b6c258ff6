using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>The Deployment, PodDisruptionBudget, Service, ServiceAccount and policy ConfigMap of admission/deploy/base.</summary>
public class WorkloadTests
{
    private static Yaml Deployment => DeployManifests.Deployment;

    private static Yaml PodSpec => Deployment["spec"]["template"]["spec"];

    private static Yaml Container => DeployManifests.Container(Deployment);

    private static IReadOnlyDictionary<string, string?> Flags => ServerFlags.Parse(Container["args"].Strings);

    [Fact]
    public void Three_replicas_spread_over_nodes_by_pod_anti_affinity()
    {
        Assert.Equal(3, Deployment["spec"]["replicas"].Int);
        var podLabels = DeployManifests.PodLabels(Deployment);
        DeployManifests.AssertSelects(Deployment["spec"]["selector"], podLabels);

        // Preferred, not required (deployment.yaml says why); either way the term spreads replicas by node.
        Yaml antiAffinity = PodSpec["affinity"]["podAntiAffinity"];
        var terms = antiAffinity["preferredDuringSchedulingIgnoredDuringExecution"].Items.Select(t => t["podAffinityTerm"])
            .Concat(antiAffinity["requiredDuringSchedulingIgnoredDuringExecution"].Items).ToList();
        Yaml byNode = Assert.Single(terms, t => t["topologyKey"].Str == "kubernetes.io/hostname");
        DeployManifests.AssertSelects(byNode["labelSelector"], podLabels);
        Assert.All(PodSpec["topologySpreadConstraints"].Items, c => DeployManifests.AssertSelects(c["labelSelector"], podLabels));

        // A rollout never takes a replica away before its replacement is ready.
        Assert.Equal(0, Deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"].Int);
    }

    [Fact]
    public void The_pod_runs_non_root_read_only_without_capabilities_or_api_token()
    {
        Assert.Equal("true", PodSpec["securityContext"]["runAsNonRoot"].Str);
        Assert.True(PodSpec["securityContext"]["runAsUser"].Int > 0);
        Assert.Equal("RuntimeDefault", PodSpec["securityContext"]["seccompProfile"]["type"].Str);
        Yaml sc = Container["securityContext"];
        Assert.Equal("true", sc["readOnlyRootFilesystem"].Str);
        Assert.Equal("false", sc["allowPrivilegeEscalation"].Str);
        Assert.Equal("true", sc["runAsNonRoot"].Str);
        Assert.Equal(["ALL"], sc["capabilities"]["drop"].Strings);
        Assert.False(sc["capabilities"]["add"].Exists);
        Assert.Equal("RuntimeDefault", sc["seccompProfile"]["type"].Str);

        Assert.Equal("false", PodSpec["automountServiceAccountToken"].Str);
        string? account = PodSpec["serviceAccountName"].Str;
        Yaml sa = DeployManifests.Single(DeployManifests.BaseObjects, "ServiceAccount", account);
        Assert.Equal("false", sa["automountServiceAccountToken"].Str);
        Assert.DoesNotContain(DeployManifests.BaseObjects, o => o["kind"].Str is "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding");
    }

    [Fact]
    public void Requests_and_limits_are_set()
    {
        foreach (string bound in new[] { "requests", "limits" })
        {
            Assert.False(string.IsNullOrEmpty(Container["resources"][bound]["cpu"].Str), bound);
            Assert.False(string.IsNullOrEmpty(Container["resources"][bound]["memory"].Str), bound);
        }
    }

    [Theory]
    [InlineData("readinessProbe", "/readyz")]
    [InlineData("livenessProbe", "/healthz")]
    public void Probes_ask_the_server_over_https_on_its_port(string probe, string path)
    {
        Yaml get = Container[probe]["httpGet"];
        Assert.Equal(path, get["path"].Str);
        Assert.Equal("HTTPS", get["scheme"].Str);
        Yaml port = Assert.Single(Container["ports"].Items);
        Assert.True(get["port"].Str == port["name"].Str || get["port"].Str == port["containerPort"].Str, $"{get.Path}.port names no container port");
    }

    [Fact]
    public void The_listen_flag_the_container_port_the_service_and_the_pdb_agree()
    {
        Yaml port = Assert.Single(Container["ports"].Items);
        int containerPort = port["containerPort"].Int;
        Assert.EndsWith(":" + containerPort, Flags["--listen"], StringComparison.Ordinal);

        Yaml service = DeployManifests.Single(DeployManifests.BaseObjects, "Service");
        DeployManifests.AssertSelectsByLabels(service["spec"]["selector"], DeployManifests.PodLabels(Deployment));
        Yaml servicePort = Assert.Single(service["spec"]["ports"].Items);
        Assert.Equal(443, servicePort["port"].Int);
        string? target = servicePort["targetPort"].Str;
        Assert.True(target == port["name"].Str || target == containerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), $"targetPort {target} is not the container port");

        Yaml pdb = DeployManifests.Single(DeployManifests.BaseObjects, "PodDisruptionBudget");
        DeployManifests.AssertSelects(pdb["spec"]["selector"], DeployManifests.PodLabels(Deployment));
        int replicas = Deployment["spec"]["replicas"].Int;
        int mayBeDown = pdb["spec"]["minAvailable"].Exists ? replicas - pdb["spec"]["minAvailable"].Int : pdb["spec"]["maxUnavailable"].Int;
        Assert.Equal(1, mayBeDown);
    }

    [Fact]
    public void Tls_policy_and_tuf_cache_flags_point_into_the_mounted_volumes()
    {
        var mounts = Container["volumeMounts"].Items.ToDictionary(m => m["name"].Str!, m => m);
        var volumes = PodSpec["volumes"].Items.ToDictionary(v => v["name"].Str!, v => v);
        Assert.Equal(mounts.Keys.Order(StringComparer.Ordinal), volumes.Keys.Order(StringComparer.Ordinal));
        // Whole-folder mounts only: a subPath mount never sees the kubelet's updates, so nothing would reload.
        Assert.All(mounts.Values, m => Assert.False(m["subPath"].Exists, m.Path));

        Yaml tls = VolumeHolding(Flags["--tls-cert"], mounts, volumes);
        Assert.Same(tls, VolumeHolding(Flags["--tls-key"], mounts, volumes));
        Assert.EndsWith("/tls.crt", Flags["--tls-cert"], StringComparison.Ordinal);
        Assert.EndsWith("/tls.key", Flags["--tls-key"], StringComparison.Ordinal);
        string? secret = tls["secret"]["secretName"].Str;
        Assert.Contains(DeployManifests.BaseObjects, o => o["kind"].Str == "Certificate" && o["spec"]["secretName"].Str == secret && o["spec"]["isCA"].Str != "true");

        Yaml policy = VolumeHolding(Flags["--policy"], mounts, volumes);
        Yaml configMap = DeployManifests.Single(DeployManifests.BaseObjects, "ConfigMap", policy["configMap"]["name"].Str);
        Assert.Contains(Path.GetFileName(Flags["--policy"]!), configMap["data"].Keys);

        Assert.True(VolumeHolding(Flags["--tuf-cache"], mounts, volumes)["emptyDir"].Exists, "the TUF cache is an emptyDir");
        Assert.Contains(mounts.Values, m => m["mountPath"].Str == "/tmp" && volumes[m["name"].Str!]["emptyDir"].Exists);
        Assert.All(mounts.Values.Where(m => m["name"].Str is "tls" or "policy"), m => Assert.Equal("true", m["readOnly"].Str));
    }

    [Fact]
    public void The_example_policy_in_the_config_map_loads_with_the_real_policy_parser()
    {
        Yaml configMap = DeployManifests.Single(DeployManifests.BaseObjects, "ConfigMap", "supplychain-admission-policy");
        ImagePolicy policy = ImagePolicy.Parse(configMap["data"]["policy.yaml"].Str!);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal(PolicyAction.Deny, policy.DefaultAction);
        Assert.True(policy.HasNamespaceScopedRules);
        Assert.Contains(policy.Rules, r => r.Mode == PolicyMode.Warn);
        Assert.Contains(policy.Rules, r => r.Mode == PolicyMode.Audit && r.OnRegistryError == PolicyAction.Allow);
        Assert.Contains(policy.Rules, r => r.Lineage is { Required: true });
    }

    internal static Yaml VolumeHolding(string? file, Dictionary<string, Yaml> mounts, Dictionary<string, Yaml> volumes)
    {
        Assert.NotNull(file);
        Yaml mount = Assert.Single(mounts.Values, m => file.StartsWith(m["mountPath"].Str!.TrimEnd('/') + "/", StringComparison.Ordinal));
        return volumes[mount["name"].Str!];
    }
}
