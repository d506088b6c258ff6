using System.Text.RegularExpressions;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>The manifests only pass flags the server defines; the air-gapped overlay swaps TUF for a mounted trusted root.</summary>
public partial class ServerFlagTests
{
    private static IReadOnlyList<string> BaseArgs => DeployManifests.Container(DeployManifests.Deployment)["args"].Strings;

    private static Yaml OverlayDeployment => Yaml.LoadOne(Path.Combine(DeployManifests.AirGapped, "deployment-trusted-root.yaml"));

    private static IReadOnlyList<string> OverlayArgs => DeployManifests.Container(OverlayDeployment)["args"].Strings;

    [Fact]
    public void The_base_and_the_overlay_use_only_flags_the_server_defines()
    {
        Assert.All(ServerFlags.Parse(BaseArgs).Keys, f => Assert.Contains(f, ServerFlags.Names));
        Assert.All(ServerFlags.Parse(OverlayArgs).Keys, f => Assert.Contains(f, ServerFlags.Names));
        Assert.All(ServerFlags.Parse(BaseArgs).Values.Concat(ServerFlags.Parse(OverlayArgs).Values), v => Assert.False(string.IsNullOrEmpty(v)));
    }

    [Fact]
    public void The_flag_list_is_exactly_the_servers()
    {
        // Hosting/CommandLine.cs declares each flag as ("name", "VALUE", "help") in CommandLine.Flags.
        string source = File.ReadAllText(ServerSource.Path("Hosting/CommandLine.cs"));
        int start = source.IndexOf("Flags =", StringComparison.Ordinal);
        Assert.True(start >= 0, "CommandLine.Flags not found");
        int end = source.IndexOf("];", start, StringComparison.Ordinal);
        var defined = FlagTuple().Matches(source[start..end]).Select(m => "--" + m.Groups[1].Value).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(defined);
        Assert.Equal(defined, ServerFlags.Names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_air_gapped_overlay_reads_a_mounted_trusted_root_instead_of_tuf_and_keeps_every_other_flag()
    {
        var baseFlags = ServerFlags.Parse(BaseArgs);
        var overlayFlags = ServerFlags.Parse(OverlayArgs);
        Assert.DoesNotContain(overlayFlags.Keys, f => f.StartsWith("--tuf-", StringComparison.Ordinal));
        Assert.False(baseFlags.ContainsKey("--trusted-root"));
        Assert.Equal(
            baseFlags.Where(kv => !kv.Key.StartsWith("--tuf-", StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal),
            overlayFlags.Where(kv => kv.Key != "--trusted-root").OrderBy(kv => kv.Key, StringComparer.Ordinal));

        string trustedRoot = overlayFlags["--trusted-root"]!;
        Yaml podSpec = OverlayDeployment["spec"]["template"]["spec"];
        Yaml mount = Assert.Single(DeployManifests.Container(OverlayDeployment)["volumeMounts"].Items);
        Assert.Equal(Path.GetDirectoryName(trustedRoot), mount["mountPath"].Str);
        Assert.Equal("true", mount["readOnly"].Str);
        Yaml volume = Assert.Single(podSpec["volumes"].Items);
        Assert.Equal(mount["name"].Str, volume["name"].Str);
        Assert.False(string.IsNullOrEmpty(volume["configMap"]["name"].Str));
        Assert.NotEqual("true", volume["configMap"]["optional"].Str); // fail closed: no pod starts without the trust root

        // The patch must address the base's Deployment and container, or kustomize would add a second one.
        Assert.Equal(DeployManifests.Deployment["metadata"]["name"].Str, OverlayDeployment["metadata"]["name"].Str);
        Assert.Equal(DeployManifests.Container(DeployManifests.Deployment)["name"].Str, DeployManifests.Container(OverlayDeployment)["name"].Str);
    }

    [GeneratedRegex(@"\(""([a-z][a-z-]*)"", """, RegexOptions.None, 1000)]
    private static partial Regex FlagTuple();
}
