using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// The subjects of an in-toto Statement v1 (in-toto/attestation spec, ResourceDescriptor with <c>name</c> and
/// <c>digest</c>): from files (SHA-256 of each, named by file name), from a <c>sha256sum</c>-format checksums file (as
/// actions/attest-build-provenance's <c>subject-checksums</c>), or given; and the statement around them.
/// </summary>
public static class StatementSubjects
{
    /// <summary>One subject per file: its file name and SHA-256.</summary>
    /// <param name="paths">The files.</param>
    public static IReadOnlyList<InTotoSubject> FromFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var subjects = new List<InTotoSubject>();
        foreach (string path in paths)
        {
            byte[] digest;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            {
                digest = SHA256.HashData(file);
            }

            subjects.Add(Subject(Path.GetFileName(path), "sha256", Convert.ToHexStringLower(digest)));
        }

        return Checked(subjects);
    }

    /// <summary>
    /// Parses <c>sha256sum</c> output: per line, 64 hex digits (or 128 for <c>sha512sum</c>), a space, a space or
    /// <c>*</c> (binary mode), the file name. Blank lines are skipped; anything else is <c>SC2025</c>.
    /// </summary>
    /// <param name="checksums">The file's bytes (UTF-8).</param>
    public static IReadOnlyList<InTotoSubject> FromChecksums(ReadOnlySpan<byte> checksums)
    {
        if (checksums.Length > Limits.MaxChecksumsFileBytes)
        {
            throw SigningErrors.ChecksumsFileMalformed.ToException($"{checksums.Length} bytes; at most {Limits.MaxChecksumsFileBytes}");
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(checksums);
        }
        catch (DecoderFallbackException ex)
        {
            throw SigningErrors.ChecksumsFileMalformed.ToException("not UTF-8", ex);
        }

        var subjects = new List<InTotoSubject>();
        int lineNumber = 0;
        foreach (string raw in text.Split('\n'))
        {
            lineNumber++;
            string line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            int space = line.IndexOf(' ', StringComparison.Ordinal);
            string hex = space > 0 ? line[..space] : line;
            string algorithm = hex.Length switch { 64 => "sha256", 128 => "sha512", _ => string.Empty };
            if (algorithm.Length == 0 || !hex.All(Uri.IsHexDigit) || space + 2 >= line.Length || line[space + 1] is not (' ' or '*'))
            {
                throw SigningErrors.ChecksumsFileMalformed.ToException($"line {lineNumber} is not 'HEX  NAME' (64 or 128 hex digits, two spaces or ' *', a name)");
            }

            string name = line[(space + 2)..];
            if (name.Any(char.IsControl))
            {
                throw SigningErrors.ChecksumsFileMalformed.ToException($"line {lineNumber}: the name has control characters");
            }

            subjects.Add(Subject(name, algorithm, hex.ToLowerInvariant()));
        }

        return Checked(subjects);
    }

    /// <summary>Builds an in-toto Statement v1 (UTF-8 JSON) over <paramref name="subjects"/>.</summary>
    /// <param name="subjects">At least one subject.</param>
    /// <param name="predicateType">The predicate type URI.</param>
    /// <param name="predicate">The predicate (a JSON object).</param>
    public static byte[] Statement(IReadOnlyList<InTotoSubject> subjects, string predicateType, JsonObject predicate)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(predicateType);
        ArgumentNullException.ThrowIfNull(predicate);
        var array = new JsonArray();
        foreach (InTotoSubject subject in Checked(subjects))
        {
            var digest = new JsonObject();
            foreach (KeyValuePair<string, string> d in subject.Digests)
            {
                digest[d.Key] = d.Value;
            }

            // The JsonNode overload: Add<T> would be chosen for a JsonObject, and it is not trim-safe.
            array.Add((JsonNode)new JsonObject { ["name"] = subject.Name, ["digest"] = digest });
        }

        var statement = new JsonObject
        {
            ["_type"] = InTotoStatement.StatementV1,
            ["subject"] = array,
            ["predicateType"] = predicateType,
            ["predicate"] = predicate.DeepClone(),
        };
        return Encoding.UTF8.GetBytes(statement.ToJsonString());
    }

    private static InTotoSubject Subject(string name, string algorithm, string hex) =>
        new(name, new Dictionary<string, string>(StringComparer.Ordinal) { [algorithm] = hex });

    private static IReadOnlyList<InTotoSubject> Checked(IReadOnlyList<InTotoSubject> subjects)
    {
        if (subjects.Count == 0)
        {
            throw SigningErrors.StatementSubjectsInvalid.ToException("no subject");
        }

        if (subjects.Count > Limits.MaxStatementSubjects)
        {
            throw SigningErrors.StatementSubjectsInvalid.ToException($"{subjects.Count} subjects; at most {Limits.MaxStatementSubjects}");
        }

        // One name, one artifact: the same name with two digests would let a verifier pick either.
        var seen = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (InTotoSubject subject in subjects)
        {
            if (seen.TryGetValue(subject.Name, out IReadOnlyDictionary<string, string>? earlier) && !earlier.OrderBy(e => e.Key, StringComparer.Ordinal).SequenceEqual(subject.Digests.OrderBy(e => e.Key, StringComparer.Ordinal)))
            {
                throw SigningErrors.StatementSubjectsInvalid.ToException($"'{subject.Name}' appears twice with different digests");
            }

            seen[subject.Name] = subject.Digests;
        }

        return subjects;
    }
}
