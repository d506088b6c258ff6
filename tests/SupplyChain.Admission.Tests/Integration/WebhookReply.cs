using System.Net;
using System.Text.Json.Nodes;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>The parts of an AdmissionReview response a test asserts, read as plain JSON (independently of the webhook's own types).</summary>
internal sealed record WebhookReply(HttpStatusCode Status, string Uid, bool Allowed, string? Message, IReadOnlyList<string> Warnings, bool HasPatch, string Body)
{
    public static WebhookReply Parse(HttpStatusCode status, string body)
    {
        JsonNode review = JsonNode.Parse(body) ?? throw new InvalidOperationException("empty body");
        Assert.Equal("admission.k8s.io/v1", (string?)review["apiVersion"]);
        Assert.Equal("AdmissionReview", (string?)review["kind"]);
        JsonNode response = review["response"] ?? throw new InvalidOperationException("no response: " + body);
        return new WebhookReply(
            status,
            (string?)response["uid"] ?? string.Empty,
            (bool?)response["allowed"] ?? throw new InvalidOperationException("no allowed: " + body),
            (string?)response["status"]?["message"],
            response["warnings"] is JsonArray warnings ? warnings.Select(w => (string)w!).ToList() : [],
            response["patch"] is not null || response["patchType"] is not null,
            body);
    }

    /// <summary>The leading <c>SCnnnn</c> of the status message, or <c>null</c>.</summary>
    public string? Code => Message is { Length: >= 6 } m && m.StartsWith("SC", StringComparison.Ordinal) ? m[..6] : null;

    public override string ToString() => Body;
}
