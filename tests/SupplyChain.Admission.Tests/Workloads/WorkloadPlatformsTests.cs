using System.Text.Json;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Workloads;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Tests.Workloads;

/// <summary>
/// The platforms a workload can run, from nodeSelector and required node affinity on kubernetes.io/os and
/// kubernetes.io/arch, in pods and in the pod templates of workload kinds. Unpinned means every platform.
/// </summary>
public class WorkloadPlatformsTests
{
    private static AdmissionRequest Pod(string spec) => Request("", "Pod", "{\"spec\":" + spec + "}");

    private static AdmissionRequest Request(string group, string kind, string json) => new()
    {
        Uid = "u",
        Operation = "CREATE",
        Kind = new GroupVersionKind { Group = group, Version = "v1", Kind = kind },
        Resource = new GroupVersionResource { Group = group, Version = "v1", Resource = kind.ToLowerInvariant() + "s" },
        NewObject = JsonDocument.Parse(json).RootElement.Clone(),
    };

    private static string Affinity(string terms) =>
        "{\"containers\":[],\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":" + terms + "}}}}";

    private static readonly OciPlatform LinuxAmd64 = new("linux", "amd64");
    private static readonly OciPlatform LinuxArm64 = new("linux", "arm64");
    private static readonly OciPlatform WindowsAmd64 = new("windows", "amd64");

    [Fact]
    public void An_unpinned_pod_can_run_every_platform()
    {
        Assert.Null(WorkloadPlatforms.Read(Pod("{\"containers\":[],\"nodeSelector\":{\"disktype\":\"ssd\"}}")));
        Assert.Null(WorkloadPlatforms.Read(Pod(Affinity("[{\"matchExpressions\":[{\"key\":\"kubernetes.io/arch\",\"operator\":\"NotIn\",\"values\":[\"arm64\"]}]}]"))));
    }

    [Fact]
    public void A_node_selector_pins_os_and_architecture()
    {
        PlatformSet set = WorkloadPlatforms.Read(Pod("{\"containers\":[],\"nodeSelector\":{\"kubernetes.io/arch\":\"arm64\",\"kubernetes.io/os\":\"linux\"}}"))!;

        Assert.True(set.Matches(LinuxArm64));
        Assert.True(set.Matches(new OciPlatform("linux", "arm64", "v8")));
        Assert.False(set.Matches(LinuxAmd64));
        Assert.False(set.Matches(new OciPlatform("windows", "arm64")));
    }

    [Fact]
    public void Required_affinity_terms_are_ored_and_their_expressions_anded_with_the_node_selector()
    {
        PlatformSet union = WorkloadPlatforms.Read(Pod(Affinity("""
            [{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]},
             {"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["arm64","s390x"]},{"key":"kubernetes.io/arch","operator":"In","values":["arm64"]}]}]
            """)))!;
        PlatformSet? oneTermOpen = WorkloadPlatforms.Read(Pod(Affinity("""
            [{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["amd64"]}]},{"matchExpressions":[{"key":"disktype","operator":"In","values":["ssd"]}]}]
            """)));
        PlatformSet both = WorkloadPlatforms.Read(Pod("""
            {"containers":[],"nodeSelector":{"kubernetes.io/arch":"amd64"},
             "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"kubernetes.io/arch","operator":"In","values":["arm64"]}]}]}}}}
            """))!;

        Assert.True(union.Matches(LinuxAmd64) && union.Matches(LinuxArm64));
        Assert.False(union.Matches(new OciPlatform("linux", "s390x")));
        Assert.True(union.Matches(WindowsAmd64));
        Assert.Null(oneTermOpen);
        Assert.False(both.Matches(LinuxAmd64) || both.Matches(LinuxArm64));
    }

    [Fact]
    public void A_deployments_pod_template_is_read_and_the_clusters_platforms_narrow_it()
    {
        AdmissionRequest deployment = Request("apps", "Deployment", """
            {"spec":{"template":{"spec":{"containers":[],"nodeSelector":{"kubernetes.io/os":"linux"}}}}}
            """);

        PlatformSet linux = WorkloadPlatforms.Read(deployment)!;
        PlatformSet? withinCluster = PlatformSet.Intersect(linux, PlatformSet.Of(LinuxAmd64));

        Assert.True(linux.Matches(LinuxArm64));
        Assert.False(linux.Matches(WindowsAmd64));
        Assert.True(withinCluster!.Matches(LinuxAmd64));
        Assert.False(withinCluster.Matches(LinuxArm64));
    }

    [Theory]
    [InlineData("{\"containers\":[],\"nodeSelector\":[]}")]
    [InlineData("{\"containers\":[],\"nodeSelector\":{\"kubernetes.io/arch\":5}}")]
    [InlineData("{\"containers\":[],\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[5]}}}}")]
    [InlineData("{\"containers\":[],\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"operator\":\"In\"}]}]}}}}")]
    [InlineData("{\"containers\":[],\"affinity\":{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[{\"matchExpressions\":[{\"key\":\"kubernetes.io/arch\",\"operator\":\"In\",\"values\":[1]}]}]}}}}")]
    public void A_misshapen_node_selection_is_SC7011(string spec)
    {
        SupplyChainException ex = Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => WorkloadPlatforms.Read(Pod(spec))));
        Assert.Equal("SC7011", ex.Code);
    }
}
