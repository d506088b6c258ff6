using System.Text.Json;
using SupplyChain.Admission.Review;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Workloads;

/// <summary>
/// The platforms a workload can run, from its pod spec (k8s.io/api/core/v1 PodSpec): <c>nodeSelector</c> and the
/// required node affinity (<c>affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms</c>)
/// on the well-known labels <c>kubernetes.io/os</c> and <c>kubernetes.io/arch</c>. Kubernetes: the terms are ORed, the
/// expressions of a term ANDed, and <c>nodeSelector</c> ANDed with the affinity. Only <c>In</c> expressions narrow the
/// set; a term without one on a label leaves that label open (every value). Reading too much never admits more: an
/// unpinned label means every platform of an index must pass. Misshapen fields are SC7011 (fail closed).
/// </summary>
internal static class WorkloadPlatforms
{
    private const string OsLabel = "kubernetes.io/os";
    private const string ArchLabel = "kubernetes.io/arch";

    /// <summary>The platforms <paramref name="request"/>'s workload can run, or <c>null</c> when it pins none.</summary>
    public static PlatformSet? Read(AdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (WorkloadKinds.PodSpec(request) is not { } spec)
        {
            return null;
        }

        try
        {
            return PlatformSet.Constrained(Allowed(spec, OsLabel), Allowed(spec, ArchLabel));
        }
        catch (InvalidOperationException ex)
        {
            throw AdmissionErrors.WorkloadMalformed.ToException("a node selection string is not valid Unicode", ex);
        }
    }

    /// <summary>The values of <paramref name="label"/> the pod may be scheduled with, or <c>null</c> for any.</summary>
    private static HashSet<string>? Allowed(JsonElement spec, string label)
    {
        HashSet<string>? fromSelector = null;
        if (Member(spec, "nodeSelector", JsonValueKind.Object, "nodeSelector") is { } selector && selector.TryGetProperty(label, out JsonElement value))
        {
            fromSelector = value.ValueKind == JsonValueKind.String
                ? new HashSet<string>(StringComparer.Ordinal) { value.GetString()! }
                : throw AdmissionErrors.WorkloadMalformed.ToException($"nodeSelector[{label}] is not a string");
        }

        HashSet<string>? fromAffinity = FromAffinity(spec, label);
        return fromSelector is null ? fromAffinity
            : fromAffinity is null ? fromSelector
            : fromSelector.Intersect(fromAffinity, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The union over the required terms of each term's allowed values; <c>null</c> when some term leaves the label open.</summary>
    private static HashSet<string>? FromAffinity(JsonElement spec, string label)
    {
        JsonElement? required = Member(spec, "affinity", JsonValueKind.Object, "affinity") is { } affinity
            && Member(affinity, "nodeAffinity", JsonValueKind.Object, "affinity.nodeAffinity") is { } node
            ? Member(node, "requiredDuringSchedulingIgnoredDuringExecution", JsonValueKind.Object, "affinity.nodeAffinity.required...")
            : null;
        if (required is not { } r || Member(r, "nodeSelectorTerms", JsonValueKind.Array, "nodeSelectorTerms") is not { } terms || terms.GetArrayLength() == 0)
        {
            return null;
        }

        var union = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement term in terms.EnumerateArray())
        {
            if (term.ValueKind != JsonValueKind.Object)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException("a nodeSelectorTerm is not an object");
            }

            if (TermAllows(term, label) is not { } values)
            {
                return null;
            }

            union.UnionWith(values);
        }

        return union;
    }

    /// <summary>What one term allows: the intersection of its <c>In</c> expressions on the label, or <c>null</c> when it has none.</summary>
    private static HashSet<string>? TermAllows(JsonElement term, string label)
    {
        HashSet<string>? allowed = null;
        if (Member(term, "matchExpressions", JsonValueKind.Array, "matchExpressions") is not { } expressions)
        {
            return null;
        }

        foreach (JsonElement expression in expressions.EnumerateArray())
        {
            if (expression.ValueKind != JsonValueKind.Object
                || !expression.TryGetProperty("key", out JsonElement key) || key.ValueKind != JsonValueKind.String
                || !expression.TryGetProperty("operator", out JsonElement op) || op.ValueKind != JsonValueKind.String)
            {
                throw AdmissionErrors.WorkloadMalformed.ToException("a node selector requirement has no key or operator");
            }

            if (key.GetString() != label || op.GetString() != "In")
            {
                continue;
            }

            var values = new HashSet<string>(StringComparer.Ordinal);
            if (Member(expression, "values", JsonValueKind.Array, "values") is { } list)
            {
                foreach (JsonElement v in list.EnumerateArray())
                {
                    values.Add(v.ValueKind == JsonValueKind.String ? v.GetString()! : throw AdmissionErrors.WorkloadMalformed.ToException("a node selector value is not a string"));
                }
            }

            allowed = allowed is null ? values : allowed.Intersect(values, StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        }

        return allowed;
    }

    /// <summary>An optional member: absent or null is <c>null</c>; another kind than <paramref name="kind"/> is SC7011.</summary>
    private static JsonElement? Member(JsonElement parent, string name, JsonValueKind kind, string what)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == kind ? value : throw AdmissionErrors.WorkloadMalformed.ToException($"{what} is not {(kind == JsonValueKind.Array ? "an array" : "an object")}");
    }
}
