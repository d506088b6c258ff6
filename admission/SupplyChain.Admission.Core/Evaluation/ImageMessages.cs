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
        string platform = verdict.Deciding is { } p && verdict.IsIndex ? $" for platform {p.PlatformText}" : "";
        return $"{Prefix(code, reference)} ({image}) {where}{platform}: {Detail(code, verdict.ErrorDetail ?? code.Summary)}";
    }

    public static string Deadline(string reference, ErrorCode code) =>
        $"{Prefix(code, reference)}: {code.Summary}";

    /// <summary>
    /// The detail of a failure for the status: a registry failure is described by its code's summary and HTTP status
    /// class only (never what the registry wrote, nor the network error's text: a pod author must not get an oracle
    /// on hosts the webhook can reach); anything else by its message without the leading code.
    /// </summary>
    public static string Detail(ErrorCode code, string message) =>
        RegistryFailures.IsRegistryFailure(code) ? RegistryFailures.Summary(code, message) : WithoutCode(code, message);

    /// <summary>How every image message starts: <c>SC5102: image REFERENCE</c> (the reference cut to 256 characters: it may be hostile).</summary>
    public static string Prefix(ErrorCode code, string reference) => $"{code.Code}: image {Cut(reference, 256)}";

    /// <summary><paramref name="message"/> with <c> at LOCATION</c> after its <see cref="Prefix"/> (the first location naming the image).</summary>
    public static string WithLocation(string message, ErrorCode code, string reference, string location)
    {
        string prefix = Prefix(code, reference);
        return message.StartsWith(prefix, StringComparison.Ordinal) ? prefix + " at " + location + message[prefix.Length..] : message;
    }

    /// <summary>An exception message without its leading <c>SCxxxx: </c> (the status message starts with the code once).</summary>
    public static string WithoutCode(ErrorCode code, string message)
    {
        string prefix = code.Code + ": ";
        return message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
    }

    /// <summary>At most <see cref="Limits.MaxStatusMessageLength"/> characters, one line.</summary>
    public static string Bound(string message) => Cut(OneLine(message), Limits.MaxStatusMessageLength);

    /// <summary>At most <paramref name="max"/> characters; a cut text ends with <c>...</c>.</summary>
    public static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private static string OneLine(string text) =>
        text.AsSpan().IndexOfAny('\r', '\n') < 0 ? text : string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
