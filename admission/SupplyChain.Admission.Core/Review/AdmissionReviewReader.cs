using System.Text.Json;

namespace SupplyChain.Admission.Review;

/// <summary>
/// Binds a parsed AdmissionReview to <see cref="AdmissionReview"/>, checking what the webhook relies on
/// (k8s.io/api/admission/v1/types.go): <c>apiVersion</c>/<c>kind</c>, a <c>request</c> with a non-empty <c>uid</c>,
/// a known <c>operation</c>, <c>kind</c> and <c>resource</c>. Unknown fields are tolerated (the API server adds
/// fields over versions); known fields of the wrong type are not.
/// </summary>
internal static class AdmissionReviewReader
{
    /// <summary>The operations of admission/v1 <c>Operation</c>.</summary>
    private static readonly string[] Operations = ["CREATE", "UPDATE", "DELETE", "CONNECT"];

    public static AdmissionReview Read(JsonElement root)
    {
        try
        {
            return ReadReview(root);
        }
        catch (InvalidOperationException ex)
        {
            // A string escape that is not valid UTF-16 (a lone surrogate, "\ud800"): JsonElement.GetString refuses it.
            throw AdmissionErrors.RequestMalformed.ToException("a string of the review is not valid Unicode", ex);
        }
    }

    private static AdmissionReview ReadReview(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw AdmissionErrors.ReviewNotJson.ToException("the review is not a JSON object");
        }

        string? apiVersion = OptionalString(root, "apiVersion", AdmissionErrors.ReviewVersionUnsupported);
        string? kind = OptionalString(root, "kind", AdmissionErrors.ReviewVersionUnsupported);
        if (apiVersion != AdmissionReview.V1 || kind != AdmissionReview.ReviewKind)
        {
            throw AdmissionErrors.ReviewVersionUnsupported.ToException($"apiVersion {Show(apiVersion)}, kind {Show(kind)}");
        }

        if (!root.TryGetProperty("request", out JsonElement request) || request.ValueKind != JsonValueKind.Object)
        {
            throw AdmissionErrors.RequestMalformed.ToException("request is missing or not an object");
        }

        return new AdmissionReview { ApiVersion = apiVersion, Kind = kind, Request = ReadRequest(request) };
    }

    private static AdmissionRequest ReadRequest(JsonElement request)
    {
        string uid = RequiredString(request, "uid");
        string operation = RequiredString(request, "operation");
        if (!Operations.Contains(operation, StringComparer.Ordinal))
        {
            throw AdmissionErrors.RequestMalformed.ToException("request.operation is not CREATE, UPDATE, DELETE or CONNECT");
        }

        return new AdmissionRequest
        {
            Uid = uid,
            Operation = operation,
            Kind = ReadKind(request, "kind") ?? throw AdmissionErrors.RequestMalformed.ToException("request.kind is missing"),
            Resource = ReadResource(request, "resource") ?? throw AdmissionErrors.RequestMalformed.ToException("request.resource is missing"),
            SubResource = OptionalString(request, "subResource", AdmissionErrors.RequestMalformed),
            RequestKind = ReadKind(request, "requestKind"),
            RequestResource = ReadResource(request, "requestResource"),
            RequestSubResource = OptionalString(request, "requestSubResource", AdmissionErrors.RequestMalformed),
            Name = OptionalString(request, "name", AdmissionErrors.RequestMalformed),
            Namespace = OptionalString(request, "namespace", AdmissionErrors.RequestMalformed),
            UserInfo = OptionalObject(request, "userInfo"),
            NewObject = OptionalObject(request, "object"),
            OldObject = OptionalObject(request, "oldObject"),
            DryRun = OptionalBoolean(request, "dryRun"),
            Options = OptionalObject(request, "options"),
        };
    }

    private static GroupVersionKind? ReadKind(JsonElement request, string name)
    {
        if (OptionalObject(request, name) is not { } kind)
        {
            return null;
        }

        return new GroupVersionKind
        {
            Group = OptionalString(kind, "group", AdmissionErrors.RequestMalformed) ?? string.Empty,
            Version = OptionalString(kind, "version", AdmissionErrors.RequestMalformed) ?? string.Empty,
            Kind = RequiredString(kind, "kind", "request." + name),
        };
    }

    private static GroupVersionResource? ReadResource(JsonElement request, string name)
    {
        if (OptionalObject(request, name) is not { } resource)
        {
            return null;
        }

        return new GroupVersionResource
        {
            Group = OptionalString(resource, "group", AdmissionErrors.RequestMalformed) ?? string.Empty,
            Version = OptionalString(resource, "version", AdmissionErrors.RequestMalformed) ?? string.Empty,
            Resource = RequiredString(resource, "resource", "request." + name),
        };
    }

    private static string RequiredString(JsonElement parent, string name, string path = "request") =>
        OptionalString(parent, name, AdmissionErrors.RequestMalformed) is { Length: > 0 } value
            ? value
            : throw AdmissionErrors.RequestMalformed.ToException($"{path}.{name} is missing or empty");

    /// <summary>A string member; absent and JSON null read as <c>null</c> (Go's encoding/json zero value), any other type is an error.</summary>
    private static string? OptionalString(JsonElement parent, string name, Core.Errors.ErrorCode error)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw error.ToException($"{name} is a JSON {value.ValueKind}, not a string");
    }

    private static bool? OptionalBoolean(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw AdmissionErrors.RequestMalformed.ToException($"request.{name} is a JSON {value.ValueKind}, not a boolean"),
        };
    }

    /// <summary>An object member, cloned out of the document; absent and JSON null read as <c>null</c>, any other type is an error.</summary>
    private static JsonElement? OptionalObject(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value.Clone()
            : throw AdmissionErrors.RequestMalformed.ToException($"{name} is a JSON {value.ValueKind}, not an object");
    }

    private static string Show(string? value) =>
        value is null ? "(missing)" : "\"" + (value.Length > 64 ? value[..64] + "..." : value) + "\"";
}
