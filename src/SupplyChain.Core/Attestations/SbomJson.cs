using System.Globalization;
using System.Text.Json;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Attestations;

/// <summary>Typed reads of SBOM JSON with a path in every error, and the element budget.</summary>
internal abstract class SbomJson
{
    private int _elements;

    protected abstract ErrorCode Invalid { get; }

    protected SupplyChainException Fail(string path, string problem) => Invalid.ToException($"{path}: {problem}");

    protected void Count(string path)
    {
        if (++_elements > Limits.MaxSbomElements)
        {
            throw CoreErrors.SbomDocumentTooLarge.ToException($"{path}: more than {Limits.MaxSbomElements} elements");
        }
    }

    protected void RequireObject(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Fail(path, "must be an object");
        }
    }

    protected string RequiredString(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? throw Fail($"{path}.{name}", "is required");

    protected string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Fail($"{path}.{name}", "must be a string");
    }

    protected IEnumerable<(JsonElement Item, string Path)> OptionalArray(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Fail($"{path}.{name}", "must be an array");
        }

        return value.EnumerateArray().Select((item, i) => (item, $"{path}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]")).ToList();
    }

    protected void RequireOneOf(string? value, IReadOnlyCollection<string> allowed, string path)
    {
        if (value is not null && !allowed.Contains(value))
        {
            throw Fail(path, $"'{Truncate(value)}' is not one of the schema's values");
        }
    }

    protected void RequireDateTime(string? value, string path)
    {
        // JSON schema "format": "date-time" is RFC 3339 date-time.
        if (value is not null && !DateTimeOffset.TryParseExact(value, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw Fail(path, $"'{Truncate(value)}' is not an RFC 3339 date-time");
        }
    }

    protected static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "...";
}
