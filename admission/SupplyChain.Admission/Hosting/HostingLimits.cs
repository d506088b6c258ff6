namespace SupplyChain.Admission.Hosting;

/// <summary>Limits on what the server reads (DESIGN.md: limits on every untrusted input live in one place per area).</summary>
internal static class HostingLimits
{
    /// <summary>The largest AdmissionReview body accepted (413 beyond). The API server's own request limit is 3 MiB.</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The largest certificate or key PEM file read.</summary>
    public const int MaxPemBytes = 1024 * 1024;

    /// <summary>The largest mounted trusted_root.json read.</summary>
    public const int MaxTrustedRootBytes = 4 * 1024 * 1024;

    /// <summary>The longest <c>?timeout=</c> value parsed.</summary>
    public const int MaxTimeoutParameterLength = 32;

    /// <summary>The grace after the deadline before the watchdog answers for a review that has not returned.</summary>
    public static readonly TimeSpan WatchdogGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>The smallest safety margin kept between the deadline and the API server's timeout.</summary>
    public static readonly TimeSpan MinimumMargin = TimeSpan.FromMilliseconds(300);
}
