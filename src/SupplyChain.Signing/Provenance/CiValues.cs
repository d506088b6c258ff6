using System.Text.Json;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// Reads the values a provenance mapping needs, from environment variables or OIDC token claims, and refuses what would
/// corrupt the predicate: missing values (SC2021), control characters or oversized values (SC2024).
/// </summary>
internal sealed class CiValues
{
    private readonly Func<string, string?> _lookup;
    private readonly string _source;
    private readonly List<string> _missing = [];

    private CiValues(Func<string, string?> lookup, string source)
    {
        _lookup = lookup;
        _source = source;
    }

    public static CiValues FromEnvironment(IEnvironmentVariables environment, string ci) =>
        new(name => environment.GetVariable(name) is { Length: > 0 } v ? v : null, $"the {ci} environment");

    public static CiValues FromClaims(IReadOnlyDictionary<string, string> claims, string ci) =>
        new(name => claims.TryGetValue(name, out string? v) && v.Length > 0 ? v : null, $"the {ci} OIDC token");

    /// <summary>A required value; remembered as missing (reported together by <see cref="ThrowIfMissing"/>) when absent.</summary>
    public string Required(string name)
    {
        string? value = Optional(name);
        if (value is null)
        {
            _missing.Add(name);
            return string.Empty;
        }

        return value;
    }

    public string? Optional(string name)
    {
        string? value = _lookup(name);
        if (value is null)
        {
            return null;
        }

        if (value.Length > Limits.MaxProvenanceValueChars || value.Any(char.IsControl))
        {
            throw SigningErrors.ProvenanceValueMalformed.ToException($"{name} in {_source} is longer than {Limits.MaxProvenanceValueChars} characters or has control characters");
        }

        return value;
    }

    public void ThrowIfMissing()
    {
        if (_missing.Count > 0)
        {
            throw SigningErrors.ProvenanceEnvironmentIncomplete.ToException($"{_source} lacks {string.Join(", ", _missing)}");
        }
    }

    /// <summary>The payload claims of a compact JWS whose string (and number) claims are kept; the signature is not checked here.</summary>
    public static IReadOnlyDictionary<string, string> ClaimsOf(string rawToken)
    {
        string[] parts = rawToken.Trim().Split('.');
        if (parts.Length != 3)
        {
            throw SigningErrors.ProvenanceValueMalformed.ToException("the OIDC token is not a compact JWS");
        }

        try
        {
            byte[] payload = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]);
            // The claims set is open (each CI issuer names its own claims): read as a map of JSON values, duplicate names refused.
            Dictionary<string, JsonElement> payloadClaims = JsonSerializer.Deserialize(payload, Oidc.TokenClaimsJsonContext.Default.DictionaryStringJsonElement)
                ?? throw SigningErrors.ProvenanceValueMalformed.ToException("the OIDC token payload is not a JSON object");
            var claims = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string name, JsonElement value) in payloadClaims)
            {
                if (value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                {
                    claims[name] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                }
            }

            return claims;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw SigningErrors.ProvenanceValueMalformed.ToException("the OIDC token payload is not base64url JSON", ex);
        }
    }

    /// <summary>
    /// A repository URL as HTTPS: <c>git@host:org/repo.git</c> and <c>ssh://git@host/org/repo</c> become
    /// <c>https://host/org/repo</c>; a trailing <c>.git</c> and <c>/</c> are dropped.
    /// </summary>
    public static string HttpsRepository(string url)
    {
        string u = url.Trim();
        if (u.StartsWith("git@", StringComparison.Ordinal) && u.IndexOf(':', StringComparison.Ordinal) is var colon and > 4 && !u.Contains("://", StringComparison.Ordinal))
        {
            u = "https://" + u[4..colon] + "/" + u[(colon + 1)..];
        }
        else if (u.StartsWith("ssh://", StringComparison.Ordinal))
        {
            string rest = u[6..];
            int at = rest.IndexOf('@', StringComparison.Ordinal);
            u = "https://" + (at >= 0 ? rest[(at + 1)..] : rest);
        }

        u = u.TrimEnd('/');
        return u.EndsWith(".git", StringComparison.Ordinal) ? u[..^4] : u;
    }

    /// <summary><c>refs/tags/TAG</c> when a tag is built, else <c>refs/heads/BRANCH</c> (Fulcio's GitLab template).</summary>
    public static string GitRef(string? tag, string branch) => tag is { Length: > 0 } ? "refs/tags/" + tag : "refs/heads/" + branch;
}
