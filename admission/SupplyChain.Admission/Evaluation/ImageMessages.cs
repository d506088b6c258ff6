using System.Globalization;
using SupplyChain.Core.Errors;
using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Admission.Evaluation;

/// <summary>The text of denials: starts with the error code, names the image (as written and by digest) and the failed lineage level; bounded.</summary>
internal static class ImageMessages
{
    /// <summary>
    /// <c>SC5102: image registry.example/app:1 (registry.example/app@sha256:...) denied at lineage level 1
    /// (registry.example/base@sha256:..., rule platform): the image has no signature: ...</c>.
    /// </summary>
    public static string Denial(string reference, string digest, PolicyVerdict verdict, ErrorCode code)
    {
        string image = verdict.Image.Registry + "/" + verdict.Image.Repository + "@" + digest;
        PolicyLevelVerdict? level = verdict.Levels.FirstOrDefault(l => !l.Allowed);
        string where = level is null
            ? "denied"
            : string.Create(CultureInfo.InvariantCulture, $"denied at lineage level {level.Level.Depth} ({level.Level.Name}@{level.Level.Digest}, rule {level.RuleName ?? "(none)"})");
        return $"{code.Code}: image {reference} ({image}) {where}: {WithoutCode(code, verdict.ErrorDetail ?? code.Summary)}";
    }

    public static string Deadline(string reference) =>
        $"{AdmissionErrors.DeadlineExceeded.Code}: image {reference}: {AdmissionErrors.DeadlineExceeded.Summary}";

    /// <summary>An exception message without its leading <c>SCxxxx: </c> (the status message starts with the code once).</summary>
    public static string WithoutCode(ErrorCode code, string message)
    {
        string prefix = code.Code + ": ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }

    /// <summary>A value from the request, quoted and cut to 128 characters (it may be hostile).</summary>
    public static string Quote(string value) => "\"" + Cut(value, 128) + "\"";

    /// <summary>At most <see cref="Limits.MaxStatusMessageLength"/> characters, one line.</summary>
    public static string Bound(string message) => Cut(OneLine(message), Limits.MaxStatusMessageLength);

    /// <summary>At most <paramref name="max"/> characters; a cut text ends with <c>...</c>.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
