using System.Globalization;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Evaluation;

/// <summary>
/// Builds the AdmissionResponse from the per-image decisions (issue 7): <c>uid</c> echoed; allowed unless an image is
/// <see cref="ImageDecision.Denied"/>; a denial's <c>status</c> (403 Forbidden) whose message starts with the error
/// code and names the image and the failed level; <c>warnings</c> (each at most 120 characters, at most 10) for warned
/// and registry-error-allowed images; an audit annotation for audited ones. Never a patch.
/// </summary>
internal static class ResponseBuilder
{
    /// <summary>The audit annotation key (the API server prefixes it with the webhook's name).</summary>
    public const string AuditKey = "policy-audit";

    /// <summary>A denial of the whole object (it could not be read): <paramref name="message"/> starts with the code.</summary>
    public static AdmissionResponse Refused(string uid, string message) =>
        new() { Uid = uid, Allowed = false, Status = Forbidden(ImageMessages.Bound(message)) };

    /// <summary>The response for the decisions on the distinct images; a denial's message names where the image was first found.</summary>
    /// <param name="uid">The request's uid.</param>
    /// <param name="results">One result per distinct reference, in the order found.</param>
    /// <param name="locations">The first location of each reference.</param>
    public static AdmissionResponse Build(string uid, IReadOnlyList<ImageResult> results, IReadOnlyDictionary<string, string> locations)
    {
        var response = new AdmissionResponse { Uid = uid, Allowed = true };
        var denied = results.Where(r => r.Decision == ImageDecision.Denied).ToList();
        if (denied.Count > 0)
        {
            response.Allowed = false;
            string more = denied.Count == 1
                ? ""
                : string.Create(CultureInfo.InvariantCulture, $" (and {denied.Count - 1} more image(s) denied: {string.Join(", ", denied.Skip(1).Select(d => d.Error?.Code + " " + d.Reference))})");
            ImageResult first = denied[0];
            string message = first.Error is null ? first.Message ?? "" : ImageMessages.WithLocation(first.Message ?? "", first.Error, first.Reference, locations[first.Reference]);
            response.Status = Forbidden(ImageMessages.Bound(message + more));
        }

        var warnings = results.Where(r => r.Decision is ImageDecision.Warned or ImageDecision.AllowedOnRegistryError).Select(Warning).ToList();
        if (warnings.Count > Limits.MaxWarnings)
        {
            int hidden = warnings.Count - (Limits.MaxWarnings - 1);
            warnings = [.. warnings.Take(Limits.MaxWarnings - 1), string.Create(CultureInfo.InvariantCulture, $"{hidden} more image warnings not shown")];
        }

        if (warnings.Count > 0)
        {
            response.Warnings = warnings;
        }

        var audited = results.Where(r => r.Decision == ImageDecision.Audited).ToList();
        if (audited.Count > 0)
        {
            string value = string.Join("; ", audited.Select(a => $"{a.Error?.Code} {a.Reference}{(a.Digest is null ? "" : " (" + a.Digest + ")")}"));
            response.AuditAnnotations = new Dictionary<string, string>(StringComparer.Ordinal) { [AuditKey] = ImageMessages.Cut(value, Limits.MaxAuditAnnotationLength) };
        }

        return response;
    }

    private static string Warning(ImageResult result)
    {
        string text = result.Decision == ImageDecision.AllowedOnRegistryError
            ? $"{result.Error?.Code}: {result.Reference}: registry error, admitted (onRegistryError: allow)"
            : $"{result.Error?.Code}: {result.Reference}: {result.Error?.Summary} (warn mode)";
        return ImageMessages.Cut(text, Limits.MaxWarningLength);
    }

    private static AdmissionStatus Forbidden(string message) => new() { Code = 403, Reason = "Forbidden", Message = message };
}
