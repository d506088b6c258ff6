using System.Text.RegularExpressions;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>The ValidatingWebhookConfiguration and its cert-manager chain in admission/deploy/base (issue 7, "Operations").</summary>
public partial class WebhookConfigurationTests
{
    /// <summary>Every (API group, resource) the webhook reads images from (Review: the kinds of the issue).</summary>
    public static TheoryData<string, string> Kinds => new()
    {
        { "", "pods" }, { "", "pods/ephemeralcontainers" }, { "", "replicationcontrollers" }, { "", "podtemplates" },
        { "apps", "deployments" }, { "apps", "replicasets" }, { "apps", "statefulsets" }, { "apps", "daemonsets" },
        { "batch", "jobs" }, { "batch", "cronjobs" },
    };

    private static Yaml Configuration => DeployManifests.Single(DeployManifests.BaseObjects, "ValidatingWebhookConfiguration");

    private static Yaml Webhook => Assert.Single(Configuration["webhooks"].Items);

    [Fact]
    public void It_fails_closed_without_side_effects_on_v1_reviews_within_a_short_timeout()
    {
        Assert.Equal("Fail", Webhook["failurePolicy"].Str);
        Assert.Equal("None", Webhook["sideEffects"].Str);
        Assert.Equal(["v1"], Webhook["admissionReviewVersions"].Strings);
        Assert.Equal("Equivalent", Webhook["matchPolicy"].Str);
        int timeout = Webhook["timeoutSeconds"].Int;
        Assert.InRange(timeout, 1, 30); // admissionregistration/v1: 1 to 30 seconds
        Assert.True(Webhook["name"].Str!.Split('.').Length >= 3, "admissionregistration/v1: a fully qualified name with at least three labels");
    }

    [Fact]
    public void The_server_deadlines_never_exceed_the_api_servers_timeout()
    {
        // The API server sends ?timeout=<timeoutSeconds>s and gives up after it; the server answers within the honoured
        // timeout minus a margin, so neither the cap (--max-timeout) nor the fallback (--default-timeout) may exceed it.
        var flags = ServerFlags.Parse(DeployManifests.Container(DeployManifests.Deployment)["args"].Strings);
        int timeoutSeconds = Webhook["timeoutSeconds"].Int;
        foreach (string flag in new[] { "--max-timeout", "--default-timeout" })
        {
            Assert.True(flags.TryGetValue(flag, out string? value), $"{flag} is not set (the server's default is 30s/10s, independent of timeoutSeconds)");
            Assert.True(Seconds(value!) <= timeoutSeconds, $"{flag}={value} exceeds timeoutSeconds {timeoutSeconds}");
        }
    }

    [Fact]
    public void It_never_matches_kube_system_or_its_own_namespace_and_has_a_break_glass_label()
    {
        var expressions = Webhook["namespaceSelector"]["matchExpressions"].Items;
        Yaml byName = Assert.Single(expressions, e => e["key"].Str == "kubernetes.io/metadata.name");
        Assert.Equal("NotIn", byName["operator"].Str);
        Assert.Contains("kube-system", byName["values"].Strings);
        Assert.Contains(DeployManifests.Deployment["metadata"]["namespace"].Str!, byName["values"].Strings);
        Assert.Contains(expressions, e => e["operator"].Str == "DoesNotExist" && e["key"].Str == "admission.supplychain.dev/exclude");
        Assert.False(Webhook["namespaceSelector"]["matchLabels"].Exists);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Rules_cover_create_and_update_of_every_kind(string group, string resource)
    {
        Yaml rule = Assert.Single(Webhook["rules"].Items, r => r["apiGroups"].Strings.Contains(group) && r["resources"].Strings.Contains(resource));
        Assert.Contains("v1", rule["apiVersions"].Strings);
        Assert.Contains("CREATE", rule["operations"].Strings);
        Assert.Contains("UPDATE", rule["operations"].Strings);
        Assert.Equal("Namespaced", rule["scope"].Str);
    }

    [Fact]
    public void Rules_match_nothing_beyond_those_kinds()
    {
        var expected = Kinds.Select(row => $"{row[0]}/{row[1]}").Order(StringComparer.Ordinal);
        var actual = Webhook["rules"].Items.SelectMany(r => r["apiGroups"].Strings.SelectMany(g => r["resources"].Strings.Select(res => $"{g}/{res}"))).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        Assert.All(Webhook["rules"].Items, r => Assert.DoesNotContain("*", r["operations"].Strings.Concat(r["resources"].Strings)));
    }

    [Fact]
    public void Rules_register_exactly_the_kinds_the_evaluator_reads()
    {
        // A kind registered but not read would be denied outright (SC7010); one read but not registered never reviewed.
        string source = File.ReadAllText(ServerSource.LibraryPath("Workloads/WorkloadKinds.cs"));
        var read = KindEntry().Matches(source)
            .Select(m => m.Groups[1].Value + "/" + (m.Groups[2].Value == "EphemeralContainers" ? "pods/ephemeralcontainers" : m.Groups[2].Value.ToLowerInvariant() + "s"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(read);
        var registered = Webhook["rules"].Items.SelectMany(r => r["apiGroups"].Strings.SelectMany(g => r["resources"].Strings.Select(res => $"{g}/{res}"))).Order(StringComparer.Ordinal);
        Assert.Equal(read, registered);
    }

    [Fact]
    public void It_calls_the_service_on_validate()
    {
        Yaml service = DeployManifests.Single(DeployManifests.BaseObjects, "Service");
        Yaml target = Webhook["clientConfig"]["service"];
        Assert.False(Webhook["clientConfig"]["url"].Exists);
        Assert.Equal(service["metadata"]["name"].Str, target["name"].Str);
        Assert.Equal(service["metadata"]["namespace"].Str, target["namespace"].Str);
        Assert.Equal("/validate", target["path"].Str);
        Assert.Equal(Assert.Single(service["spec"]["ports"].Items)["port"].Int, target["port"].Int);
        Assert.False(Webhook["clientConfig"]["caBundle"].Exists, "cert-manager injects the caBundle");
    }

    [Fact]
    public void Cert_manager_injects_the_ca_of_the_serving_certificate_for_the_service_name()
    {
        string? inject = Configuration["metadata"]["annotations"]["cert-manager.io/inject-ca-from"].Str;
        Assert.NotNull(inject);
        string[] parts = inject.Split('/');
        Assert.Equal(2, parts.Length);
        Yaml certificate = DeployManifests.Single(DeployManifests.BaseObjects, "Certificate", parts[1]);
        Assert.Equal(parts[0], certificate["metadata"]["namespace"].Str);

        Yaml target = Webhook["clientConfig"]["service"];
        Assert.Contains($"{target["name"].Str}.{target["namespace"].Str}.svc", certificate["spec"]["dnsNames"].Strings);
        Assert.Contains("server auth", certificate["spec"]["usages"].Strings);
        Assert.Equal("Always", certificate["spec"]["privateKey"]["rotationPolicy"].Str);
        Assert.False(string.IsNullOrEmpty(certificate["spec"]["renewBefore"].Str), "the serving certificate is renewed before it expires");

        // Serving certificate <- CA Issuer <- CA Certificate (isCA) <- self-signed Issuer.
        Yaml caIssuer = IssuerOf(certificate);
        Yaml ca = Assert.Single(DeployManifests.BaseObjects, o => o["kind"].Str == "Certificate" && o["spec"]["secretName"].Str == caIssuer["spec"]["ca"]["secretName"].Str);
        Assert.Equal("true", ca["spec"]["isCA"].Str);
        Assert.Equal("Never", ca["spec"]["privateKey"]["rotationPolicy"].Str); // certificates.yaml says why
        Assert.True(IssuerOf(ca)["spec"]["selfSigned"].Exists);
    }

    private static Yaml IssuerOf(Yaml certificate)
    {
        Yaml issuerRef = certificate["spec"]["issuerRef"];
        Assert.Equal("Issuer", issuerRef["kind"].Str);
        return DeployManifests.Single(DeployManifests.BaseObjects, "Issuer", issuerRef["name"].Str);
    }

    private static double Seconds(string duration) => duration switch
    {
        _ when duration.EndsWith("ms", StringComparison.Ordinal) => double.Parse(duration[..^2], System.Globalization.CultureInfo.InvariantCulture) / 1000,
        _ when duration.EndsWith('s') => double.Parse(duration[..^1], System.Globalization.CultureInfo.InvariantCulture),
        _ when duration.EndsWith('m') => double.Parse(duration[..^1], System.Globalization.CultureInfo.InvariantCulture) * 60,
        _ => throw new Xunit.Sdk.XunitException($"'{duration}' is not a duration such as 500ms, 10s or 1m"),
    };

    [GeneratedRegex(@"\[\(""([a-z.]*)"", ""([A-Za-z]+)""\)\]", RegexOptions.None, 1000)]
    private static partial Regex KindEntry();
}
