using System.Text.Json.Nodes;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// AdmissionReview v1 requests as the API server sends them (admission.k8s.io/v1; the object under
/// <c>request.object</c>): a Pod, a Deployment (pod template) and a CronJob (job template inside the pod template).
/// </summary>
internal static class Reviews
{
    public static string Pod(string uid, params string[] images) =>
        Review(uid, "", "v1", "Pod", "pods", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
            ["spec"] = PodSpec(images),
        });

    public static string Deployment(string uid, params string[] images) =>
        Review(uid, "apps", "v1", "Deployment", "deployments", new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "web" } },
                ["template"] = Template(images),
            },
        });

    public static string CronJob(string uid, params string[] images) =>
        Review(uid, "batch", "v1", "CronJob", "cronjobs", new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "CronJob",
            ["metadata"] = new JsonObject { ["name"] = "nightly", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["schedule"] = "0 3 * * *",
                ["jobTemplate"] = new JsonObject { ["spec"] = new JsonObject { ["template"] = Template(images) } },
            },
        });

    private static JsonObject Template(string[] images) => new()
    {
        ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "web" } },
        ["spec"] = PodSpec(images),
    };

    /// <summary>The first image is the init container's when there are several, the others are containers.</summary>
    private static JsonObject PodSpec(string[] images)
    {
        var spec = new JsonObject();
        int first = 0;
        if (images.Length > 1)
        {
            spec["initContainers"] = new JsonArray(new JsonObject { ["name"] = "init", ["image"] = images[0] });
            first = 1;
        }

        spec["containers"] = new JsonArray(images.Skip(first).Select((image, i) => (JsonNode)new JsonObject { ["name"] = "c" + i, ["image"] = image }).ToArray());
        return spec;
    }

    private static string Review(string uid, string group, string version, string kind, string resource, JsonObject obj) => new JsonObject
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
            ["resource"] = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource },
            ["requestKind"] = new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = kind },
            ["requestResource"] = new JsonObject { ["group"] = group, ["version"] = version, ["resource"] = resource },
            ["name"] = obj["metadata"]!["name"]!.GetValue<string>(),
            ["namespace"] = "default",
            ["operation"] = "CREATE",
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:ci:deployer", ["uid"] = "u-1" },
            ["object"] = obj,
            ["oldObject"] = null,
            ["dryRun"] = false,
            ["options"] = new JsonObject { ["apiVersion"] = "meta.k8s.io/v1", ["kind"] = "CreateOptions" },
        },
    }.ToJsonString();
}
