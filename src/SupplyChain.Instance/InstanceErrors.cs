using SupplyChain.Core.Errors;

namespace SupplyChain.Instance;

/// <summary>Stable error codes of SupplyChain.Instance (the <c>SC8xxx</c> range), listed in <c>docs/errors.md</c>.</summary>
public static partial class InstanceErrors
{
    // The instance directory (SC800x)

    /// <summary>SC8001: the instance directory does not exist or was never initialised (run <c>signcli instance init</c>).</summary>
    public static readonly ErrorCode InstanceNotInitialised = new("SC8001", ErrorCategory.TrustRootOrConfiguration, "the local instance is not initialised");

    /// <summary>SC8002: <c>instance init</c> found an initialised instance and <c>--force</c> was not given.</summary>
    public static readonly ErrorCode InstanceExists = new("SC8002", ErrorCategory.TrustRootOrConfiguration, "an instance already exists in the directory (use --force to replace it)");

    /// <summary>SC8003: a file of the instance (key, certificate, config) is unreadable, malformed or too large.</summary>
    public static readonly ErrorCode InstanceFileInvalid = new("SC8003", ErrorCategory.TrustRootOrConfiguration, "a file of the instance directory is unreadable or malformed");

    /// <summary>SC8004: the instance configuration is invalid (port, issuer URL, external issuer).</summary>
    public static readonly ErrorCode ConfigurationInvalid = new("SC8004", ErrorCategory.TrustRootOrConfiguration, "the instance configuration is invalid");

    /// <summary>SC8005: the served instance could not start (port in use, address refused).</summary>
    public static readonly ErrorCode ServeFailed = new("SC8005", ErrorCategory.ServiceFailure, "the instance server could not start");

    // Requests to the services (SC801x)

    /// <summary>SC8010: a request body is malformed (not JSON, missing or ill-typed fields, bad base64 or PEM).</summary>
    public static readonly ErrorCode RequestMalformed = new("SC8010", ErrorCategory.MalformedInput, "the request is malformed");

    /// <summary>SC8011: a request body is larger than the limit.</summary>
    public static readonly ErrorCode RequestTooLarge = new("SC8011", ErrorCategory.MalformedInput, "the request body is larger than the limit");

    /// <summary>SC8012: no service answers this path (HTTP 404).</summary>
    public static readonly ErrorCode UnknownEndpoint = new("SC8012", ErrorCategory.MalformedInput, "no endpoint at this path");

    /// <summary>SC8013: the endpoint does not accept this HTTP method or content type (HTTP 405 or 415).</summary>
    public static readonly ErrorCode MethodNotAllowed = new("SC8013", ErrorCategory.MalformedInput, "the endpoint does not accept this method or content type");

    // Identity tokens at the CA (SC802x)

    /// <summary>SC8020: the identity token is not a valid signed JWT (format, algorithm or signature).</summary>
    public static readonly ErrorCode TokenInvalid = new("SC8020", ErrorCategory.VerificationFailed, "the identity token is not a valid signed JWT");

    /// <summary>SC8021: the token's issuer is neither the local issuer nor a configured external issuer.</summary>
    public static readonly ErrorCode TokenIssuerUnknown = new("SC8021", ErrorCategory.VerificationFailed, "the token's issuer is not accepted by this instance");

    /// <summary>SC8022: the token's audience is not <c>sigstore</c>.</summary>
    public static readonly ErrorCode TokenAudienceInvalid = new("SC8022", ErrorCategory.VerificationFailed, "the token's audience is not sigstore");

    /// <summary>SC8023: the token is expired or not yet valid.</summary>
    public static readonly ErrorCode TokenExpired = new("SC8023", ErrorCategory.VerificationFailed, "the token is expired or not yet valid");

    /// <summary>SC8024: the token carries no identity the CA certifies (a verified email, or a URI subject).</summary>
    public static readonly ErrorCode TokenIdentityUnsupported = new("SC8024", ErrorCategory.VerificationFailed, "the token carries no identity the CA can certify");

    /// <summary>SC8025: the JWKS of an external issuer cannot be read (file or URL).</summary>
    public static readonly ErrorCode JwksUnavailable = new("SC8025", ErrorCategory.ServiceFailure, "the JWKS of an external issuer cannot be read");

    // Certificates, log entries and timestamps (SC803x)

    /// <summary>SC8030: the proof of possession (or CSR signature) does not verify with the submitted public key.</summary>
    public static readonly ErrorCode ProofOfPossessionInvalid = new("SC8030", ErrorCategory.VerificationFailed, "the proof of possession does not verify");

    /// <summary>SC8031: the submitted public key is not a supported algorithm (ECDSA P-256/P-384 or RSA 2048-4096).</summary>
    public static readonly ErrorCode PublicKeyUnsupported = new("SC8031", ErrorCategory.MalformedInput, "the public key algorithm or size is not supported");

    /// <summary>SC8032: a log entry request's signature does not verify over its digest with its verifier, or the verifier is not acceptable.</summary>
    public static readonly ErrorCode LogEntrySignatureInvalid = new("SC8032", ErrorCategory.VerificationFailed, "the entry's signature does not verify with its verifier");

    /// <summary>SC8033: a timestamp request is not a DER TimeStampReq this TSA answers (hash algorithm, extensions, trailing data).</summary>
    public static readonly ErrorCode TimestampRequestInvalid = new("SC8033", ErrorCategory.MalformedInput, "the timestamp request is not acceptable");
}
