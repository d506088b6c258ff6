using System.Text.Json;
using SupplyChain.Core.Serialization;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Attestations;

/// <summary>One subject of an in-toto statement: a name and its digests by algorithm (<c>sha256</c> -> hex).</summary>
/// <param name="Name">The subject name.</param>
/// <param name="Digests">Digests keyed by lowercase algorithm name.</param>
public sealed record InTotoSubject(string Name, IReadOnlyDictionary<string, string> Digests);

/// <summary>
/// An in-toto Statement (in-toto/attestation spec v1, also v0.1): <c>_type</c>, <c>subject</c>,
/// <c>predicateType</c>, <c>predicate</c>.
/// </summary>
public sealed class InTotoStatement
{
    /// <summary>The v1 statement type.</summary>
    public const string StatementV1 = "https://in-toto.io/Statement/v1";

    /// <summary>The v0.1 statement type.</summary>
    public const string StatementV01 = "https://in-toto.io/Statement/v0.1";

    private InTotoStatement(string type, IReadOnlyList<InTotoSubject> subjects, string predicateType, JsonElement? predicate)
    {
        Type = type;
        Subjects = subjects;
        PredicateType = predicateType;
        Predicate = predicate;
    }

    /// <summary>The statement's <c>_type</c>.</summary>
    public string Type { get; }

    /// <summary>The subjects the statement is about.</summary>
    public IReadOnlyList<InTotoSubject> Subjects { get; }

    /// <summary>The predicate type URI.</summary>
    public string PredicateType { get; }

    /// <summary>The predicate (a detached copy), when present.</summary>
    public JsonElement? Predicate { get; }

    /// <summary>Parses a statement from a DSSE payload.</summary>
    /// <param name="payload">UTF-8 JSON.</param>
    /// <exception cref="VerificationFailedException">SC1505 when the payload is not a statement.</exception>
    public static InTotoStatement Parse(ReadOnlySpan<byte> payload)
    {
        if (JsonPreflight.Check(payload, Limits.MaxJsonDepth * 4, out string? detail) != JsonPreflightFailure.None)
        {
            throw CoreErrors.InTotoStatementMalformed.ToException(detail);
        }

        InTotoStatementJson root;
        try
        {
            root = JsonSerializer.Deserialize(payload, AttestationJsonContext.Default.InTotoStatementJson)
                ?? throw CoreErrors.InTotoStatementMalformed.ToException("the statement is not a JSON object");
        }
        catch (JsonException ex)
        {
            // Not an object, or a member of the wrong JSON type (a numeric name, a digest value that is not a string).
            throw CoreErrors.InTotoStatementMalformed.ToException("invalid JSON", ex);
        }

        string type = root.Type ?? throw RequiredString("_type");
        if (type is not (StatementV1 or StatementV01))
        {
            throw CoreErrors.InTotoStatementMalformed.ToException($"_type '{type}' is not an in-toto Statement v1 or v0.1");
        }

        string predicateType = root.PredicateType ?? throw RequiredString("predicateType");
        if (root.Subject is not { Count: > 0 } listed)
        {
            throw CoreErrors.InTotoStatementMalformed.ToException("'subject' must be a non-empty array");
        }

        var subjects = new List<InTotoSubject>();
        foreach (InTotoSubjectJson? s in listed)
        {
            if (s?.Digest is not { } digests)
            {
                throw CoreErrors.InTotoStatementMalformed.ToException("each subject needs a 'digest' object");
            }

            // in-toto DigestSet: each value is a hex-encoded digest string. A JSON null would otherwise reach the
            // dictionary (the deserializer does not hold collection values to their nullability).
            foreach (KeyValuePair<string, string> d in digests)
            {
                if (d.Value is null)
                {
                    throw CoreErrors.InTotoStatementMalformed.ToException($"digest '{d.Key}' is not a string");
                }
            }

            subjects.Add(new InTotoSubject(s.Name ?? string.Empty, new Dictionary<string, string>(digests, StringComparer.Ordinal)));
        }

        JsonElement? predicate = root.Predicate.ValueKind == JsonValueKind.Undefined ? null : root.Predicate;
        return new InTotoStatement(type, subjects, predicateType, predicate);
    }

    /// <summary>
    /// The subject whose digest under <paramref name="algorithm"/> (in-toto name: <c>sha256</c>, <c>sha512</c>)
    /// equals <paramref name="digest"/>, or <see langword="null"/>.
    /// </summary>
    /// <param name="algorithm">The in-toto digest algorithm name.</param>
    /// <param name="digest">The digest bytes.</param>
    public InTotoSubject? FindSubject(string algorithm, ReadOnlySpan<byte> digest)
    {
        string hex = Convert.ToHexStringLower(digest);
        foreach (InTotoSubject subject in Subjects)
        {
            if (subject.Digests.TryGetValue(algorithm, out string? value) && string.Equals(value, hex, StringComparison.OrdinalIgnoreCase))
            {
                return subject;
            }
        }

        return null;
    }

    private static SupplyChainException RequiredString(string name) =>
        CoreErrors.InTotoStatementMalformed.ToException($"'{name}' must be a string");
}
