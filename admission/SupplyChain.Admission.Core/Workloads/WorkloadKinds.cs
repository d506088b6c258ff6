using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Workloads;

/// <summary>
/// The kinds the webhook reads images from (issue 7; the ValidatingWebhookConfiguration registers exactly these) and
/// the path from the object to its pod spec. Anything else is <c>SC7010</c>: the webhook never admits what it cannot read.
/// </summary>
internal static class WorkloadKinds
{
    /// <summary>The pod spec path of each supported (group, kind); <c>null</c> path means the legacy EphemeralContainers object.</summary>
    private static readonly Dictionary<(string Group, string Kind), string[]?> PodSpecPaths = new()
    {
        [("", "Pod")] = ["spec"],
        [("", "EphemeralContainers")] = null,
        [("", "ReplicationController")] = ["spec", "template", "spec"],
        [("", "PodTemplate")] = ["template", "spec"],
        [("apps", "Deployment")] = ["spec", "template", "spec"],
        [("apps", "ReplicaSet")] = ["spec", "template", "spec"],
        [("apps", "StatefulSet")] = ["spec", "template", "spec"],
        [("apps", "DaemonSet")] = ["spec", "template", "spec"],
        [("batch", "Job")] = ["spec", "template", "spec"],
        [("batch", "CronJob")] = ["spec", "jobTemplate", "spec", "template", "spec"],
    };

    /// <summary>
    /// The path to the pod spec of <paramref name="request"/>'s object, or <c>null</c> for the legacy
    /// <c>EphemeralContainers</c> kind (top-level <c>ephemeralContainers</c>, Kubernetes 1.16-1.21).
    /// </summary>
    /// <exception cref="Core.Errors.MalformedInputException">SC7010 for any other kind, or a pods subresource other than ephemeralcontainers with a non-Pod object.</exception>
    public static string[]? PodSpecPath(AdmissionRequest request)
    {
        GroupVersionKind kind = request.Kind;
        if (!PodSpecPaths.TryGetValue((kind.Group, kind.Kind), out string[]? path))
        {
            throw AdmissionErrors.KindUnsupported.ToException($"{Describe(kind)} ({request.Resource.Resource}{(request.SubResource is { Length: > 0 } s ? "/" + s : "")})");
        }

        // EphemeralContainers only ever arrives as the pods/ephemeralcontainers subresource.
        if (path is null && request.SubResource != "ephemeralcontainers")
        {
            throw AdmissionErrors.KindUnsupported.ToException("EphemeralContainers outside the pods/ephemeralcontainers subresource");
        }

        return path;
    }

    /// <summary>The pod spec (or pod template spec) object of <paramref name="request"/>, or <c>null</c> when the object has none of that shape.</summary>
    public static System.Text.Json.JsonElement? PodSpec(AdmissionRequest request)
    {
        string[]? path = PodSpecPath(request);
        if (path is null || request.NewObject is not { ValueKind: System.Text.Json.JsonValueKind.Object } spec)
        {
            return null;
        }

        foreach (string step in path)
        {
            if (!spec.TryGetProperty(step, out spec) || spec.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return null;
            }
        }

        return spec;
    }

    private static string Describe(GroupVersionKind kind) =>
        (kind.Group.Length == 0 ? "" : kind.Group + "/") + (kind.Version.Length == 0 ? "" : kind.Version + ", kind ") + Truncate(kind.Kind);

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "..." : text;
}
