using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChain.Admission.Review;

/// <summary>
/// <c>admission.k8s.io/v1</c> <c>AdmissionReview</c> (k8s.io/api/admission/v1/types.go), written in-project: the API
/// server sends one with <see cref="Request"/>; the webhook answers with the same <c>apiVersion</c> and
/// <c>kind</c> and a <see cref="Response"/>.
/// </summary>
public sealed class AdmissionReview
{
    /// <summary>The only API version read and written: <c>admission.k8s.io/v1</c>.</summary>
    public const string V1 = "admission.k8s.io/v1";

    /// <summary>The kind: <c>AdmissionReview</c>.</summary>
    public const string ReviewKind = "AdmissionReview";

    /// <summary><c>apiVersion</c>.</summary>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = V1;

    /// <summary><c>kind</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = ReviewKind;

    /// <summary>The request (present in what the API server sends).</summary>
    [JsonPropertyName("request")]
    public AdmissionRequest? Request { get; set; }

    /// <summary>The response (present in what the webhook answers).</summary>
    [JsonPropertyName("response")]
    public AdmissionResponse? Response { get; set; }
}

/// <summary><c>AdmissionRequest</c>: the operation on one object.</summary>
public sealed class AdmissionRequest
{
    /// <summary><c>uid</c>: echoed in the response.</summary>
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = string.Empty;

    /// <summary><c>kind</c>: the object's group/version/kind, as <c>{"group":"apps","version":"v1","kind":"Deployment"}</c>.</summary>
    [JsonPropertyName("kind")]
    public GroupVersionKind Kind { get; set; } = new();

    /// <summary><c>resource</c>: the resource, as <c>{"group":"","version":"v1","resource":"pods"}</c>.</summary>
    [JsonPropertyName("resource")]
    public GroupVersionResource Resource { get; set; } = new();

    /// <summary><c>subResource</c>, as <c>ephemeralcontainers</c>.</summary>
    [JsonPropertyName("subResource")]
    public string? SubResource { get; set; }

    /// <summary><c>requestKind</c>: the kind of the original request (differs when the API server converted it).</summary>
    [JsonPropertyName("requestKind")]
    public GroupVersionKind? RequestKind { get; set; }

    /// <summary><c>requestResource</c>.</summary>
    [JsonPropertyName("requestResource")]
    public GroupVersionResource? RequestResource { get; set; }

    /// <summary><c>requestSubResource</c>.</summary>
    [JsonPropertyName("requestSubResource")]
    public string? RequestSubResource { get; set; }

    /// <summary><c>name</c> of the object (may be empty on CREATE with generateName).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary><c>namespace</c> of the object.</summary>
    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    /// <summary><c>operation</c>: CREATE, UPDATE, DELETE or CONNECT.</summary>
    [JsonPropertyName("operation")]
    public string Operation { get; set; } = string.Empty;

    /// <summary><c>userInfo</c>: kept as JSON; never logged.</summary>
    [JsonPropertyName("userInfo")]
    public JsonElement? UserInfo { get; set; }

    /// <summary><c>object</c>: the new object (absent on DELETE). Named NewObject in C# (CA1720).</summary>
    [JsonPropertyName("object")]
    public JsonElement? NewObject { get; set; }

    /// <summary><c>oldObject</c>: the existing object on UPDATE and DELETE.</summary>
    [JsonPropertyName("oldObject")]
    public JsonElement? OldObject { get; set; }

    /// <summary><c>dryRun</c>: the request will not be persisted; the webhook must have no side effects.</summary>
    [JsonPropertyName("dryRun")]
    public bool? DryRun { get; set; }

    /// <summary><c>options</c>: the operation's options (CreateOptions, UpdateOptions...), kept as JSON.</summary>
    [JsonPropertyName("options")]
    public JsonElement? Options { get; set; }
}

/// <summary><c>AdmissionResponse</c>. The webhook never sets a patch.</summary>
public sealed class AdmissionResponse
{
    /// <summary><c>uid</c>: the request's uid.</summary>
    [JsonPropertyName("uid")]
    public string Uid { get; set; } = string.Empty;

    /// <summary><c>allowed</c>.</summary>
    [JsonPropertyName("allowed")]
    public bool Allowed { get; set; }

    /// <summary><c>status</c>: why it was denied (the message starts with the error code).</summary>
    [JsonPropertyName("status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AdmissionStatus? Status { get; set; }

    /// <summary><c>warnings</c>: shown by kubectl; each at most 120 characters.</summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IList<string>? Warnings { get; set; }

    /// <summary><c>auditAnnotations</c>: recorded in the API server's audit log (keys are prefixed by the webhook's name).</summary>
    [JsonPropertyName("auditAnnotations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string>? AuditAnnotations { get; set; }
}

/// <summary>The <c>metav1.Status</c> subset a webhook response uses.</summary>
public sealed class AdmissionStatus
{
    /// <summary><c>code</c>: the HTTP-like status code (403 for a policy denial).</summary>
    [JsonPropertyName("code")]
    public int Code { get; set; }

    /// <summary><c>message</c>: starts with the error code, names the image and the failed level.</summary>
    [JsonPropertyName("message")]
    public string Message { get; set; } = string.Empty;

    /// <summary><c>reason</c>, such as <c>Forbidden</c>.</summary>
    [JsonPropertyName("reason")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; set; }
}

/// <summary><c>metav1.GroupVersionKind</c>.</summary>
public sealed class GroupVersionKind
{
    /// <summary><c>group</c> (empty for the core group).</summary>
    [JsonPropertyName("group")]
    public string Group { get; set; } = string.Empty;

    /// <summary><c>version</c>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary><c>kind</c>.</summary>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = string.Empty;
}

/// <summary><c>metav1.GroupVersionResource</c>.</summary>
public sealed class GroupVersionResource
{
    /// <summary><c>group</c> (empty for the core group).</summary>
    [JsonPropertyName("group")]
    public string Group { get; set; } = string.Empty;

    /// <summary><c>version</c>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; set; } = string.Empty;

    /// <summary><c>resource</c>.</summary>
    [JsonPropertyName("resource")]
    public string Resource { get; set; } = string.Empty;
}
