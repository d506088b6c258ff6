using System.Text.Json;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Workloads;

namespace SupplyChain.Admission.PullSecrets;

/// <summary>
/// What the kubelet would pull a pod's images with (k8s.io/api/core/v1 PodSpec): <c>imagePullSecrets[].name</c> of the
/// pod spec (or pod template), then those of its service account (<c>serviceAccountName</c>, else the deprecated
/// <c>serviceAccount</c>, else <c>default</c>: the ServiceAccount admission plugin's default).
/// </summary>
/// <param name="ServiceAccount">The service account's name.</param>
/// <param name="Secrets">The pod's own pull secrets, in order.</param>
internal sealed record PodPullSecretNames(string ServiceAccount, IReadOnlyList<string> Secrets)
{
    /// <summary>The names in <paramref name="request"/>'s pod spec; <c>SC7011</c> when they are misshapen.</summary>
    public static PodPullSecretNames Read(AdmissionRequest request)
    {
        JsonElement? spec = WorkloadKinds.PodSpec(request);
        if (spec is not { } pod)
        {
            return new PodPullSecretNames("default", []);
        }

        string account = String(pod, "serviceAccountName") ?? String(pod, "serviceAccount") ?? "default";
        var secrets = new List<string>();
        if (pod.TryGetProperty("imagePullSecrets", out JsonElement list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException("imagePullSecrets is not a list");
            }

            foreach (JsonElement entry in list.EnumerateArray())
            {
                if (entry.ValueKind != JsonValueKind.Object || String(entry, "name") is not { Length: > 0 } name)
                {
                    throw AdmissionErrors.WorkloadMalformed.ToException("an imagePullSecrets entry has no name");
                }

                secrets.Add(name);
            }
        }

        return new PodPullSecretNames(account, secrets);
    }

    private static string? String(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw AdmissionErrors.WorkloadMalformed.ToException($"{name} is not a string");
}
