using System.Text.Json;
using System.Text.Unicode;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Review;

/// <summary>Reads and writes AdmissionReview JSON strictly and within limits (docs/admission.md, "Requests").</summary>
public static class AdmissionReviewJson
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = Limits.MaxReviewJsonDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,

        // The API server never repeats a key; a repeated one could be read differently here and by another reader.
        AllowDuplicateProperties = false,
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, SkipValidation = false };

    /// <summary>Parses an AdmissionReview request body.</summary>
    /// <param name="body">The HTTP request body (UTF-8 JSON).</param>
    /// <returns>The review, with a request.</returns>
    /// <exception cref="MalformedInputException">SC70xx when the body is not a well-formed admission.k8s.io/v1 AdmissionReview request within the limits.</exception>
    public static AdmissionReview Read(ReadOnlyMemory<byte> body)
    {
        if (body.Length > Limits.MaxReviewBytes)
        {
            throw AdmissionErrors.ReviewTooLarge.ToException($"{body.Length} bytes, the limit is {Limits.MaxReviewBytes}");
        }

        // RFC 8259 section 8.1: JSON exchanged between systems MUST be UTF-8. JsonDocument checks strings only when they
        // are read, so the whole body is checked first (an ill-formed image string must not surface as another exception).
        if (!Utf8.IsValid(body.Span))
        {
            throw AdmissionErrors.ReviewNotJson.ToException("the body is not well-formed UTF-8");
        }

        JsonDocument document;
        try
        {
            // DOM on purpose, not a DTO: the Kubernetes objects inside are open by definition, and this one parse refuses a
            // duplicate key anywhere (SC7002) before AdmissionReviewReader gives each envelope field's type error its code.
            // One JSON value and nothing after it (JsonDocument refuses trailing data), within the depth limit.
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // System.Text.Json's duplicate-name check (AllowDuplicateProperties = false) unescapes each property name and throws
            // InvalidOperationException, not JsonException, for an escaped lone surrogate ("\ud800"): malformed input all the same.
            throw AdmissionErrors.ReviewNotJson.ToException(ex.Message, ex);
        }

        using (document)
        {
            return AdmissionReviewReader.Read(document.RootElement);
        }
    }

    /// <summary>Serializes a review (the response) as UTF-8 JSON: <c>apiVersion</c>, <c>kind</c> and <c>response</c> only; never a request, patch or patchType.</summary>
    /// <param name="review">The review; its <see cref="AdmissionReview.Response"/> must be set.</param>
    /// <returns>The JSON.</returns>
    public static byte[] Write(AdmissionReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        AdmissionResponse response = review.Response ?? throw new ArgumentException("The review has no response.", nameof(review));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", review.ApiVersion);
            writer.WriteString("kind", review.Kind);
            writer.WritePropertyName("response");
            WriteResponse(writer, response);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteResponse(Utf8JsonWriter writer, AdmissionResponse response)
    {
        writer.WriteStartObject();
        writer.WriteString("uid", response.Uid);
        writer.WriteBoolean("allowed", response.Allowed);
        if (response.Status is { } status)
        {
            writer.WriteStartObject("status");
            writer.WriteNumber("code", status.Code);
            writer.WriteString("message", status.Message);
            if (status.Reason is not null)
            {
                writer.WriteString("reason", status.Reason);
            }

            writer.WriteEndObject();
        }

        if (response.Warnings is { } warnings)
        {
            writer.WriteStartArray("warnings");
            foreach (string warning in warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        if (response.AuditAnnotations is { } annotations)
        {
            writer.WriteStartObject("auditAnnotations");
            foreach (KeyValuePair<string, string> annotation in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                writer.WriteString(annotation.Key, annotation.Value);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }
}
