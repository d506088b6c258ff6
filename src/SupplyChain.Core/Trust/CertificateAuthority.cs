using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Core.Trust;

/// <summary>A certificate authority (Fulcio) or timestamp authority the trusted root lists.</summary>
public sealed class CertificateAuthority
{
    internal CertificateAuthority(string? uri, string? subjectOrganization, string? subjectCommonName, IReadOnlyList<X509Certificate2> chain, TimeRange validFor, string? @operator)
    {
        Uri = uri;
        SubjectOrganization = subjectOrganization;
        SubjectCommonName = subjectCommonName;
        Chain = chain;
        ValidFor = validFor;
        Operator = @operator;
    }

    /// <summary>The authority's URI.</summary>
    public string? Uri { get; }

    /// <summary>The authority's organization, as the trusted root names it.</summary>
    public string? SubjectOrganization { get; }

    /// <summary>The authority's common name, as the trusted root names it.</summary>
    public string? SubjectCommonName { get; }

    /// <summary>
    /// The chain, most specific first: for Fulcio [intermediate..., root]; for a TSA
    /// [signing certificate, intermediates..., root]. The last certificate is the trust anchor.
    /// </summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>When the authority was trusted (closed interval).</summary>
    public TimeRange ValidFor { get; }

    /// <summary>Who operates the authority, when given.</summary>
    public string? Operator { get; }
}
