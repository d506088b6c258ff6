using System.Text.Json;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Workloads;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Workloads;

/// <summary>Image extraction per kind (containers, init, ephemeral, image volumes), locations, and every fail-closed case with its code.</summary>
public class WorkloadImagesTests
{
    private const string PodSpec = """
        {"containers":[{"name":"app","image":"r.example/app:1"},{"name":"side","image":"r.example/side:1"}],
         "initContainers":[{"name":"init","image":"r.example/init:1"}],
         "ephemeralContainers":[{"name":"dbg","image":"r.example/debug:1"}],
         "volumes":[{"name":"cfg","configMap":{"name":"x"}},{"name":"models","image":{"reference":"r.example/models:1","pullPolicy":"IfNotPresent"}}]}
        """;

    private static readonly string[] SpecImages =
    [
        "containers[0].image=r.example/app:1",
        "containers[1].image=r.example/side:1",
        "initContainers[0].image=r.example/init:1",
        "ephemeralContainers[0].image=r.example/debug:1",
        "volumes[1].image.reference=r.example/models:1",
    ];

    private static AdmissionRequest Request(string group, string kind, string json, string? subResource = null) => new()
    {
        Uid = "u",
        Operation = "CREATE",
        Kind = new GroupVersionKind { Group = group, Version = "v1", Kind = kind },
        Resource = new GroupVersionResource { Group = group, Version = "v1", Resource = kind.ToLowerInvariant() + "s" },
        SubResource = subResource,
        NewObject = JsonDocument.Parse(json).RootElement.Clone(),
    };

    private static void AssertCode(string code, AdmissionRequest request) =>
        ErrorAssert.AssertCode(code, () => WorkloadImages.Extract(request));

    public static TheoryData<string, string, string, string> Kinds() => new()
    {
        { "", "Pod", "{\"spec\":" + PodSpec + "}", "spec." },
        { "apps", "Deployment", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "apps", "ReplicaSet", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "apps", "StatefulSet", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "apps", "DaemonSet", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "batch", "Job", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "", "ReplicationController", "{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}", "spec.template.spec." },
        { "", "PodTemplate", "{\"template\":{\"spec\":" + PodSpec + "}}", "template.spec." },
        { "batch", "CronJob", "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{\"spec\":" + PodSpec + "}}}}}", "spec.jobTemplate.spec.template.spec." },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_yields_containers_init_ephemeral_and_image_volumes_with_their_locations(string group, string kind, string json, string prefix)
    {
        IReadOnlyList<WorkloadImage> images = WorkloadImages.Extract(Request(group, kind, json));
        Assert.Equal(SpecImages.Select(s => prefix + s), images.Select(i => i.Location + "=" + i.Reference));
    }

    [Fact]
    public void The_ephemeralcontainers_subresource_reads_the_pod_and_the_legacy_kind_its_top_level_list()
    {
        IReadOnlyList<WorkloadImage> pod = WorkloadImages.Extract(Request("", "Pod", "{\"spec\":" + PodSpec + "}", "ephemeralcontainers"));
        Assert.Contains(pod, i => i.Location == "spec.ephemeralContainers[0].image" && i.Reference == "r.example/debug:1");

        IReadOnlyList<WorkloadImage> legacy = WorkloadImages.Extract(Request("", "EphemeralContainers", "{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"r.example/debug:2\"}]}", "ephemeralcontainers"));
        WorkloadImage only = Assert.Single(legacy);
        Assert.Equal(("ephemeralContainers[0].image", "r.example/debug:2"), (only.Location, only.Reference));
    }

    [Fact]
    public void Duplicates_are_kept_one_per_location()
    {
        IReadOnlyList<WorkloadImage> images = WorkloadImages.Extract(Request("", "Pod", "{\"spec\":{\"containers\":[{\"image\":\"a:1\"},{\"image\":\"a:1\"}],\"initContainers\":[{\"image\":\"a:1\"}]}}"));
        Assert.Equal(3, images.Count);
        Assert.All(images, i => Assert.Equal("a:1", i.Reference));
    }

    [Theory]
    [InlineData("", "Service")]
    [InlineData("", "ConfigMap")]
    [InlineData("apps", "Pod")]
    [InlineData("extensions", "Deployment")]
    [InlineData("autoscaling", "Scale")]
    [InlineData("example.com", "CronJob")]
    public void An_unknown_kind_is_SC7010(string group, string kind) => AssertCode("SC7010", Request(group, kind, "{\"spec\":" + PodSpec + "}"));

    [Fact]
    public void The_legacy_kind_outside_its_subresource_is_SC7010() =>
        AssertCode("SC7010", Request("", "EphemeralContainers", "{\"ephemeralContainers\":[]}"));

    [Theory]
    [InlineData("Pod", "{}")]
    [InlineData("Pod", "{\"spec\":[]}")]
    [InlineData("Pod", "{\"spec\":{\"containers\":{}}}")]
    [InlineData("Pod", "{\"spec\":{\"containers\":[\"r.example/a:1\"]}}")]
    [InlineData("Pod", "{\"spec\":{\"volumes\":[{\"name\":\"v\",\"image\":\"r.example/a:1\"}]}}")]
    [InlineData("Pod", "{\"spec\":{\"volumes\":\"x\"}}")]
    [InlineData("Deployment", "{\"spec\":{}}")]
    [InlineData("Deployment", "{\"spec\":{\"template\":{\"spec\":null}}}")]
    [InlineData("CronJob", "{\"spec\":{\"jobTemplate\":{\"spec\":{\"template\":{}}}}}")]
    public void A_misshapen_object_is_SC7011(string kind, string json) =>
        AssertCode("SC7011", Request(kind is "Deployment" ? "apps" : kind is "CronJob" ? "batch" : "", kind, json));

    [Fact]
    public void A_missing_object_is_SC7011()
    {
        AdmissionRequest request = Request("", "Pod", "{}");
        request.NewObject = null;
        AssertCode("SC7011", request);
    }

    [Theory]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\"}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":\"\"}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":null}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"a\",\"image\":7}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"image\":\"a:1\"}],\"initContainers\":[{\"name\":\"i\"}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"image\":\"a:1\"}],\"ephemeralContainers\":[{\"name\":\"e\"}]}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"image\":\"a:1\"}],\"volumes\":[{\"name\":\"v\",\"image\":{\"pullPolicy\":\"Always\"}}]}}")]
    public void A_container_or_image_volume_without_image_is_SC7012(string json) => AssertCode("SC7012", Request("", "Pod", json));

    [Fact]
    public void More_images_than_the_limit_is_SC7013_and_the_limit_itself_is_read()
    {
        string Containers(int n) => "{\"spec\":{\"containers\":[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"{{\"image\":\"r.example/a{i}:1\"}}")) + "]}}";
        Assert.Equal(Limits.MaxImagesPerObject, WorkloadImages.Extract(Request("", "Pod", Containers(Limits.MaxImagesPerObject))).Count);
        AssertCode("SC7013", Request("", "Pod", Containers(Limits.MaxImagesPerObject + 1)));
    }
}
