using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.PullSecrets;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Tests.PullSecrets;

/// <summary>
/// A pod never makes the webhook read a local path (oci: references are SC7030, nothing requested), and the pull
/// secrets a pod spec names are read as the kubelet reads them.
/// </summary>
public sealed class LayoutAndPodSpecTests : IDisposable
{
    private readonly AdmissionWorld _world = new();

    public void Dispose() => _world.Dispose();

    [Theory]
    [InlineData("oci:/var/lib/images/app:1")]
    [InlineData("oci:app")]
    [InlineData("oci:../../etc@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public async Task A_layout_reference_in_a_pod_is_denied_SC7030_without_any_read(string image)
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(AdmissionWorld.Pod(image), AdmissionWorld.Policy("""
            apiVersion: supplychain.dev/v1alpha1
            kind: ImagePolicy
            defaultAction: allow
            rules: []
            """));
        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC7030", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Empty(_world.Registry.Calls);
    }

    [Fact]
    public void Pull_secret_names_come_from_the_pod_spec_or_the_template_and_the_service_account_defaults()
    {
        PodPullSecretNames pod = PodPullSecretNames.Read(AdmissionWorld.Request("Pod", """{"spec":{"serviceAccountName":"builder","imagePullSecrets":[{"name":"a"},{"name":"b"}],"containers":[]}}"""));
        Assert.Equal("builder", pod.ServiceAccount);
        Assert.Equal(["a", "b"], pod.Secrets);

        PodPullSecretNames deployment = PodPullSecretNames.Read(AdmissionWorld.Request("Deployment", """{"spec":{"template":{"spec":{"serviceAccount":"legacy","imagePullSecrets":[{"name":"c"}],"containers":[]}}}}""", group: "apps", resource: "deployments"));
        Assert.Equal("legacy", deployment.ServiceAccount);
        Assert.Equal(["c"], deployment.Secrets);

        PodPullSecretNames plain = PodPullSecretNames.Read(AdmissionWorld.Pod("registry.example/app:1"));
        Assert.Equal("default", plain.ServiceAccount);
        Assert.Empty(plain.Secrets);
    }

    [Theory]
    [InlineData("""{"spec":{"imagePullSecrets":{"name":"a"},"containers":[]}}""")]
    [InlineData("""{"spec":{"imagePullSecrets":[{"name":""}],"containers":[]}}""")]
    [InlineData("""{"spec":{"imagePullSecrets":["a"],"containers":[]}}""")]
    [InlineData("""{"spec":{"serviceAccountName":7,"containers":[]}}""")]
    public void Misshapen_pull_secret_fields_are_SC7011(string json) =>
        Assert.Equal("SC7011", Assert.ThrowsAny<SupplyChainException>(() => PodPullSecretNames.Read(AdmissionWorld.Request("Pod", json))).Code);
}
