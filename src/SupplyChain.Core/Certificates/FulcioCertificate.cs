using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Core.Certificates;

/// <summary>Identity fields of a Fulcio certificate (CONTRACT STUB: replaced by the certificates work).</summary>
public sealed class FulcioCertificate
{
    private FulcioCertificate()
    {
    }

    /// <summary>The subject alternative name used for identity matching.</summary>
    public string? SubjectAlternativeName { get; private init; }

    /// <summary>The OIDC issuer.</summary>
    public string? Issuer { get; private init; }

    /// <summary>Fulcio extensions by sigstore-go JSON name.</summary>
    public IReadOnlyDictionary<string, string> Extensions { get; private init; } = new Dictionary<string, string>();

    /// <summary>Parses the Fulcio fields of a leaf.</summary>
    /// <param name="leaf">The certificate.</param>
    public static FulcioCertificate Parse(X509Certificate2 leaf) => throw new NotImplementedException();
}
