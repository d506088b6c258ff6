using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

public static partial class AdmissionErrors
{
    // Server, configuration, trust material and reloads (SC72xx)

    /// <summary>SC7201: the request body exceeds the size limit (HTTP 413).</summary>
    public static readonly ErrorCode RequestTooLarge = new("SC7201", ErrorCategory.MalformedInput, "the request body exceeds the size limit");

    /// <summary>SC7202: the request is not <c>application/json</c> (HTTP 415).</summary>
    public static readonly ErrorCode RequestNotJson = new("SC7202", ErrorCategory.MalformedInput, "the request content type is not application/json");

    /// <summary>SC7203: the webhook is not ready (no policy or trust material loaded yet): the request is denied.</summary>
    public static readonly ErrorCode NotReady = new("SC7203", ErrorCategory.ServiceFailure, "the webhook is not ready: no policy or trust material loaded yet");

    /// <summary>SC7204: the review did not finish before the deadline the API server's timeout leaves: the request is denied.</summary>
    public static readonly ErrorCode ReviewDeadlineExceeded = new("SC7204", ErrorCategory.ServiceFailure, "the review did not finish before the deadline");

    /// <summary>SC7205: the TLS certificate and key files cannot be read, parsed or do not match.</summary>
    public static readonly ErrorCode TlsCertificateUnusable = new("SC7205", ErrorCategory.TrustRootOrConfiguration, "the TLS certificate and key files cannot be read, parsed or do not match");

    /// <summary>SC7206: the policy file cannot be loaded (at start, or a new version on reload: the old one stays).</summary>
    public static readonly ErrorCode PolicyUnusable = new("SC7206", ErrorCategory.TrustRootOrConfiguration, "the policy file cannot be loaded");

    /// <summary>SC7207: the trust material cannot be loaded (a mounted trusted_root.json or the TUF repository).</summary>
    public static readonly ErrorCode TrustMaterialUnusable = new("SC7207", ErrorCategory.TrustRootOrConfiguration, "the trust material cannot be loaded");

    /// <summary>SC7208: a command-line flag, environment variable or server option is invalid.</summary>
    public static readonly ErrorCode InvalidOption = new("SC7208", ErrorCategory.TrustRootOrConfiguration, "a command-line flag, environment variable or server option is invalid");

    /// <summary>SC7209: the review failed unexpectedly: the request is denied.</summary>
    public static readonly ErrorCode ReviewFailed = new("SC7209", ErrorCategory.ServiceFailure, "the review failed unexpectedly");

    /// <summary>SC7210: the server cannot listen on its endpoint.</summary>
    public static readonly ErrorCode ListenFailed = new("SC7210", ErrorCategory.TrustRootOrConfiguration, "the server cannot listen on its endpoint");

    /// <summary>SC7211: no such path (HTTP 404).</summary>
    public static readonly ErrorCode PathNotFound = new("SC7211", ErrorCategory.MalformedInput, "no such path");

    /// <summary>SC7212: the method is not allowed on this path (HTTP 405).</summary>
    public static readonly ErrorCode MethodNotAllowed = new("SC7212", ErrorCategory.MalformedInput, "the method is not allowed on this path");
}
