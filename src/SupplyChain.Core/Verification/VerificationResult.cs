using System.Text.Json;
using SupplyChain.Core.Attestations;

namespace SupplyChain.Core.Verification;

/// <summary>A time a verifier trusted: a log's integrated time (with a verified SET) or an RFC 3161 timestamp.</summary>
/// <param name="Kind"><c>transparency-log</c> or <c>rfc3161</c>.</param>
/// <param name="Authority">The log base URL or TSA URI.</param>
/// <param name="Time">The verified instant.</param>
public sealed record VerifiedTime(string Kind, string Authority, DateTimeOffset Time);

/// <summary>A log entry that verified.</summary>
/// <param name="LogUrl">The log's base URL.</param>
/// <param name="LogIndex">The entry's index.</param>
/// <param name="Kind">The entry kind.</param>
/// <param name="KindVersion">The entry kind version.</param>
/// <param name="IntegratedTime">The SET-verified integrated time, when any.</param>
public sealed record VerifiedLogEntry(string LogUrl, long LogIndex, string Kind, string KindVersion, DateTimeOffset? IntegratedTime);

/// <summary>Who signed: the certificate identity, or the key.</summary>
/// <param name="SubjectAlternativeName">The certificate's SAN; <see langword="null"/> for key-signed bundles.</param>
/// <param name="Issuer">The OIDC issuer; <see langword="null"/> for key-signed bundles.</param>
/// <param name="Extensions">Fulcio extensions by sigstore-go JSON name.</param>
/// <param name="PublicKeySha256">Hex SHA-256 of the signer's SubjectPublicKeyInfo.</param>
public sealed record SignerInfo(string? SubjectAlternativeName, string? Issuer, IReadOnlyDictionary<string, string> Extensions, string PublicKeySha256);

/// <summary>
/// What a successful verification established. A verifier returns one only on success.
/// Serialized with media type <see cref="MediaType"/>.
/// </summary>
public sealed class VerificationResult
{
    /// <summary>The media type of the JSON form.</summary>
    public const string MediaType = "application/vnd.supplychain.verification-result.v1+json";

    internal VerificationResult(
        string bundleMediaType,
        SignerInfo signer,
        IReadOnlyList<VerifiedTime> verifiedTimes,
        IReadOnlyList<VerifiedLogEntry> logEntries,
        InTotoStatement? statement,
        bool identityChecked)
    {
        BundleMediaType = bundleMediaType;
        Signer = signer;
        VerifiedTimes = verifiedTimes;
        LogEntries = logEntries;
        Statement = statement;
        IdentityChecked = identityChecked;
    }

    /// <summary>The verified bundle's media type.</summary>
    public string BundleMediaType { get; }

    /// <summary>The signer.</summary>
    public SignerInfo Signer { get; }

    /// <summary>Every time that verified.</summary>
    public IReadOnlyList<VerifiedTime> VerifiedTimes { get; }

    /// <summary>Every log entry that verified.</summary>
    public IReadOnlyList<VerifiedLogEntry> LogEntries { get; }

    /// <summary>The in-toto statement of a DSSE bundle, or <see langword="null"/>.</summary>
    public InTotoStatement? Statement { get; }

    /// <summary><see langword="false"/> only when the policy was <see cref="VerificationPolicy.WithoutIdentityUnsafe"/>.</summary>
    public bool IdentityChecked { get; }

    /// <summary>Writes the result as indented JSON with its media type.</summary>
    /// <returns>The UTF-8 JSON document (as every <c>ToJson</c> of the toolkit returns).</returns>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("mediaType", MediaType);
            w.WriteBoolean("verified", true);
            w.WriteString("bundleMediaType", BundleMediaType);
            w.WriteBoolean("identityChecked", IdentityChecked);
            w.WriteStartObject("signer");
            WriteOptional(w, "subjectAlternativeName", Signer.SubjectAlternativeName);
            WriteOptional(w, "issuer", Signer.Issuer);
            w.WriteString("publicKeySha256", Signer.PublicKeySha256);
            w.WriteStartObject("extensions");
            foreach (KeyValuePair<string, string> e in Signer.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                w.WriteString(e.Key, e.Value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("verifiedTimes");
            foreach (VerifiedTime t in VerifiedTimes)
            {
                w.WriteStartObject();
                w.WriteString("kind", t.Kind);
                w.WriteString("authority", t.Authority);
                w.WriteString("time", t.Time.UtcDateTime);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("transparencyLogEntries");
            foreach (VerifiedLogEntry e in LogEntries)
            {
                w.WriteStartObject();
                w.WriteString("logUrl", e.LogUrl);
                w.WriteNumber("logIndex", e.LogIndex);
                w.WriteString("kind", e.Kind);
                w.WriteString("kindVersion", e.KindVersion);
                if (e.IntegratedTime is { } it)
                {
                    w.WriteString("integratedTime", it.UtcDateTime);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (Statement is { } s)
            {
                w.WriteStartObject("statement");
                w.WriteString("type", s.Type);
                w.WriteString("predicateType", s.PredicateType);
                w.WriteStartArray("subjects");
                foreach (InTotoSubject subject in s.Subjects)
                {
                    w.WriteStartObject();
                    w.WriteString("name", subject.Name);
                    w.WriteStartObject("digest");
                    foreach (KeyValuePair<string, string> d in subject.Digests)
                    {
                        w.WriteString(d.Key, d.Value);
                    }

                    w.WriteEndObject();
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
