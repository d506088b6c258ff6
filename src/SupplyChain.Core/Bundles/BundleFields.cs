using System.Formats.Asn1;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Bundles;

/// <summary>
/// The checks every bundle model type makes on its fields at construction (DESIGN.md convention 3: parse, don't
/// validate), shared so that a bundle parsed from JSON and one built in code obey the same rules with the same codes.
/// </summary>
internal static class BundleFields
{
    /// <summary>A copy of a required bytes field; SC1009 when empty (proto3 JSON cannot tell an empty value from an absent one).</summary>
    public static byte[] Required(ReadOnlyMemory<byte> value, string name) =>
        value.IsEmpty ? throw CoreErrors.BundleMissingField.ToException(name) : value.ToArray();

    /// <summary>A required string: present (SC1009) and well-formed UTF-16, so that it can be written as JSON (SC1016).</summary>
    public static string Text(string? value, string name)
    {
        if (value is null)
        {
            throw CoreErrors.BundleMissingField.ToException(name);
        }

        // RFC 8259 section 8.1: JSON text is Unicode; a lone surrogate has no UTF-8 encoding.
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw CoreErrors.BundleInvalidFieldValue.ToException($"{name} is not well-formed Unicode text");
            }
        }

        return value;
    }

    /// <summary>A non-negative int64 (SC1010 for indexes and sizes).</summary>
    public static long Index(long value, string name) =>
        value < 0 ? throw CoreErrors.BundleInvalidLogIndex.ToException($"{name} = {value}") : value;

    /// <summary>
    /// A DER certificate: non-empty (SC1009), within <see cref="Limits.MaxDerBytes"/> (SC1001) and exactly one
    /// SEQUENCE without trailing bytes (RFC 5280 section 4.1; SC1015). Returns a private copy.
    /// </summary>
    public static byte[] Certificate(ReadOnlyMemory<byte> der, string name)
    {
        byte[] copy = Required(der, name);
        if (copy.Length > Limits.MaxDerBytes)
        {
            throw CoreErrors.BundleTooLarge.ToException($"{name}: {copy.Length} bytes");
        }

        try
        {
            var reader = new AsnReader(copy, AsnEncodingRules.DER);
            reader.ReadSequence();
            reader.ThrowIfNotEmpty();
        }
        catch (AsnContentException ex)
        {
            throw CoreErrors.BundleInvalidCertificate.ToException(name, ex);
        }

        return copy;
    }

    /// <summary>A list copied out of the caller's hands, with each element checked and at most <paramref name="limit"/> of them (SC1001).</summary>
    public static T[] List<TSource, T>(IEnumerable<TSource>? source, int limit, string name, Func<TSource, int, T> check)
    {
        if (source is null)
        {
            return [];
        }

        var result = new List<T>();
        foreach (TSource item in source)
        {
            if (result.Count == limit)
            {
                throw CoreErrors.BundleTooLarge.ToException($"more than {limit} {name}");
            }

            result.Add(check(item, result.Count));
        }

        return [.. result];
    }

    /// <summary>
    /// Runs <paramref name="build"/> and, when a model constructor rejects a value, says where in the JSON document it was
    /// (the constructors name the field; the parser knows the path).
    /// </summary>
    public static T At<T>(string path, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (MalformedInputException ex)
        {
            string prefix = $"{ex.Code}: {ex.Error.Summary}";
            string detail = ex.Message.StartsWith(prefix + ": ", StringComparison.Ordinal) ? ex.Message[(prefix.Length + 2)..] : string.Empty;
            throw ex.Error.ToException(detail.Length == 0 ? path : $"{path}: {detail}", ex);
        }
    }
}
