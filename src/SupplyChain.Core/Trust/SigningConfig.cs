using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Trust;

/// <summary>How a client picks among several services of one kind (sigstore_trustroot.proto ServiceSelector).</summary>
public enum ServiceSelector
{
    /// <summary>Use every valid service.</summary>
    All,

    /// <summary>Use any one valid service.</summary>
    Any,

    /// <summary>Use exactly <see cref="ServiceConfiguration.Count"/> valid services.</summary>
    Exact,
}

/// <summary>One service endpoint of a signing config.</summary>
/// <param name="Url">The service URL.</param>
/// <param name="MajorApiVersion">The API major version the service speaks (Rekor v1 or v2, for example).</param>
/// <param name="ValidFor">When the service may be used.</param>
/// <param name="Operator">Who operates it.</param>
public sealed record SigningService(Uri Url, int MajorApiVersion, TimeRange ValidFor, string? Operator);

/// <summary>Selection rule for a kind of service.</summary>
/// <param name="Selector">ALL, ANY or EXACT.</param>
/// <param name="Count">How many services EXACT means.</param>
public sealed record ServiceConfiguration(ServiceSelector Selector, int Count);

/// <summary>
/// A parsed <c>signing_config.json</c> v0.2 (<c>application/vnd.dev.sigstore.signingconfig.v0.2+json</c>):
/// the Fulcio, OIDC, Rekor and TSA services a signer should use.
/// </summary>
public sealed class SigningConfig
{
    /// <summary>The media type of signing config v0.2.</summary>
    public const string MediaTypeV0_2 = "application/vnd.dev.sigstore.signingconfig.v0.2+json";

    internal SigningConfig(
        IReadOnlyList<SigningService> certificateAuthorities,
        IReadOnlyList<SigningService> oidcProviders,
        IReadOnlyList<SigningService> transparencyLogs,
        IReadOnlyList<SigningService> timestampAuthorities,
        ServiceConfiguration transparencyLogSelection,
        ServiceConfiguration timestampAuthoritySelection)
    {
        CertificateAuthorities = certificateAuthorities;
        OidcProviders = oidcProviders;
        TransparencyLogs = transparencyLogs;
        TimestampAuthorities = timestampAuthorities;
        TransparencyLogSelection = transparencyLogSelection;
        TimestampAuthoritySelection = timestampAuthoritySelection;
    }

    /// <summary>Fulcio instances (<c>caUrls</c>).</summary>
    public IReadOnlyList<SigningService> CertificateAuthorities { get; }

    /// <summary>OIDC providers (<c>oidcUrls</c>).</summary>
    public IReadOnlyList<SigningService> OidcProviders { get; }

    /// <summary>Rekor instances (<c>rekorTlogUrls</c>).</summary>
    public IReadOnlyList<SigningService> TransparencyLogs { get; }

    /// <summary>Timestamp authorities (<c>tsaUrls</c>).</summary>
    public IReadOnlyList<SigningService> TimestampAuthorities { get; }

    /// <summary>How to pick Rekor instances.</summary>
    public ServiceConfiguration TransparencyLogSelection { get; }

    /// <summary>How to pick timestamp authorities.</summary>
    public ServiceConfiguration TimestampAuthoritySelection { get; }

    /// <summary>Parses a signing config v0.2.</summary>
    /// <param name="utf8Json">The document bytes.</param>
    /// <exception cref="TrustRootException">SC1106/SC1107 when the document is unusable.</exception>
    public static SigningConfig Parse(ReadOnlySpan<byte> utf8Json)
    {
        SigningConfigDto dto = TrustDocument.Deserialize(utf8Json, TrustJsonContext.Default.SigningConfigDto, CoreErrors.SigningConfigMalformed);
        if (dto.MediaType != MediaTypeV0_2)
        {
            throw CoreErrors.SigningConfigUnsupportedMediaType.ToException($"'{dto.MediaType}'");
        }

        return new SigningConfig(
            Services(dto.CaUrls, "caUrls"),
            Services(dto.OidcUrls, "oidcUrls"),
            Services(dto.RekorTlogUrls, "rekorTlogUrls"),
            Services(dto.TsaUrls, "tsaUrls"),
            Selection(dto.RekorTlogConfig, "rekorTlogConfig"),
            Selection(dto.TsaConfig, "tsaConfig"));
    }

    /// <summary>
    /// The services valid at <paramref name="now"/>, newest API version first, as the
    /// Sigstore client spec asks ("select the service with the highest supported API version").
    /// </summary>
    /// <param name="services">One of this config's service lists.</param>
    /// <param name="now">The current time.</param>
    /// <param name="supportedMajorVersions">API versions the caller implements.</param>
    public static IReadOnlyList<SigningService> ValidAt(IEnumerable<SigningService> services, DateTimeOffset now, params int[] supportedMajorVersions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(supportedMajorVersions);
        return services
            .Where(s => s.ValidFor.Contains(now) && supportedMajorVersions.Contains(s.MajorApiVersion))
            .OrderByDescending(s => s.MajorApiVersion)
            .ThenByDescending(s => s.ValidFor.Start)
            .ToList();
    }

    private static List<SigningService> Services(List<ServiceDto?>? services, string path)
    {
        var result = new List<SigningService>();
        for (int i = 0; i < (services?.Count ?? 0); i++)
        {
            string at = $"{path}[{i}]";
            ServiceDto s = services![i] ?? throw CoreErrors.SigningConfigMalformed.ToException(at + " is null");
            if (s.Url is null || !Uri.TryCreate(s.Url, UriKind.Absolute, out Uri? url) || url.Scheme is not ("https" or "http"))
            {
                throw CoreErrors.SigningConfigMalformed.ToException(at + ".url is not an absolute http(s) URL");
            }

            if (s.MajorApiVersion is not { } major || major <= 0)
            {
                throw CoreErrors.SigningConfigMalformed.ToException(at + ".majorApiVersion is missing");
            }

            if (s.ValidFor?.Start is not { } start)
            {
                throw CoreErrors.SigningConfigMalformed.ToException(at + ".validFor.start is missing");
            }

            if (s.ValidFor.End is { } end && end < start)
            {
                throw CoreErrors.SigningConfigMalformed.ToException(at + ".validFor ends before it starts");
            }

            result.Add(new SigningService(url, major, new TimeRange(start, s.ValidFor.End), s.Operator));
        }

        return result;
    }

    private static ServiceConfiguration Selection(ServiceConfigurationDto? dto, string path)
    {
        if (dto is null)
        {
            return new ServiceConfiguration(ServiceSelector.Any, 0);
        }

        ServiceSelector selector = dto.Selector switch
        {
            "ALL" => ServiceSelector.All,
            "ANY" => ServiceSelector.Any,
            "EXACT" => ServiceSelector.Exact,
            _ => throw CoreErrors.SigningConfigMalformed.ToException($"{path}.selector '{dto.Selector}' is not ALL, ANY or EXACT"),
        };
        int count = dto.Count ?? 0;
        if (selector == ServiceSelector.Exact && count <= 0)
        {
            throw CoreErrors.SigningConfigMalformed.ToException($"{path}: EXACT needs a positive count");
        }

        return new ServiceConfiguration(selector, count);
    }
}
