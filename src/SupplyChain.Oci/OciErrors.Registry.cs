using SupplyChain.Core.Errors;

namespace SupplyChain.Oci;

/// <summary>Stable error codes of SupplyChain.Oci: the registry client (SC40xx-SC43xx).</summary>
public static partial class OciErrors
{
    /// <summary>SC4002: the registry could not be reached (DNS, connection, TLS, timeout), after the retries.</summary>
    public static readonly ErrorCode RegistryUnreachable = new("SC4002", ErrorCategory.ServiceFailure, "the registry could not be reached");

    /// <summary>SC4003: the registry answered with an unexpected HTTP status (after the retries for 5xx).</summary>
    public static readonly ErrorCode RegistryStatus = new("SC4003", ErrorCategory.ServiceFailure, "the registry answered with an error status");

    /// <summary>SC4004: the registry refused the credentials or the access (401 after authenticating, or 403).</summary>
    public static readonly ErrorCode RegistryAuthFailed = new("SC4004", ErrorCategory.TrustRootOrConfiguration, "the registry refused authentication or access");

    /// <summary>SC4005: the registry kept answering 429 Too Many Requests until the retries ran out.</summary>
    public static readonly ErrorCode RegistryThrottled = new("SC4005", ErrorCategory.ServiceFailure, "the registry throttled the requests (429) beyond the retries");

    /// <summary>SC4006: content from the registry does not match its digest (or the registry's Docker-Content-Digest does not match the content).</summary>
    public static readonly ErrorCode DigestMismatch = new("SC4006", ErrorCategory.VerificationFailed, "registry content does not match its digest");

    /// <summary>SC4007: content is larger than its size limit or than its descriptor's size.</summary>
    public static readonly ErrorCode SizeLimitExceeded = new("SC4007", ErrorCategory.MalformedInput, "registry content exceeds its size limit or declared size");

    /// <summary>SC4008: the manifest's media type is not a supported one, or the Content-Type and the manifest's mediaType disagree.</summary>
    public static readonly ErrorCode UnsupportedMediaType = new("SC4008", ErrorCategory.MalformedInput, "the manifest media type is unsupported or inconsistent");

    /// <summary>SC4009: plain HTTP to a registry (or token realm, or upload location) that is neither loopback nor allowed insecure.</summary>
    public static readonly ErrorCode InsecureRegistryRefused = new("SC4009", ErrorCategory.TrustRootOrConfiguration, "plain HTTP to a non-loopback registry is refused");

    /// <summary>SC4010: a Docker credential helper is missing, timed out, failed or printed something that is not its JSON answer.</summary>
    public static readonly ErrorCode CredentialHelperFailed = new("SC4010", ErrorCategory.TrustRootOrConfiguration, "the Docker credential helper failed");

    /// <summary>SC4011: the Docker config.json is unreadable, too large, not JSON, or has an undecodable auth entry.</summary>
    public static readonly ErrorCode DockerConfigMalformed = new("SC4011", ErrorCategory.TrustRootOrConfiguration, "the Docker config.json is malformed");

    /// <summary>SC4012: a manifest or index is not well-formed JSON of its schema (bad descriptor, digest or size).</summary>
    public static readonly ErrorCode ManifestMalformed = new("SC4012", ErrorCategory.MalformedInput, "the manifest or index is malformed");

    /// <summary>SC4013: the manifest named by the tag or digest does not exist in the repository.</summary>
    public static readonly ErrorCode ManifestNotFound = new("SC4013", ErrorCategory.MalformedInput, "the manifest does not exist");

    /// <summary>SC4014: the blob does not exist in the repository.</summary>
    public static readonly ErrorCode BlobNotFound = new("SC4014", ErrorCategory.MalformedInput, "the blob does not exist");

    /// <summary>SC4015: the bearer token endpoint failed or answered without a token (challenge without realm, non-JSON answer).</summary>
    public static readonly ErrorCode TokenRequestFailed = new("SC4015", ErrorCategory.ServiceFailure, "the registry token endpoint failed");

    /// <summary>SC4016: the referrers tag-schema index kept losing our descriptor to concurrent writers beyond the attempts.</summary>
    public static readonly ErrorCode ReferrersIndexConflict = new("SC4016", ErrorCategory.ServiceFailure, "the referrers index update did not settle");

    /// <summary>SC4017: a manifest pushed as a referrer has no subject.</summary>
    public static readonly ErrorCode ReferrerSubjectMissing = new("SC4017", ErrorCategory.MalformedInput, "the referrer manifest has no subject");

    /// <summary>SC4018: a registry answer is malformed: a missing or bad Location, Link, tag list or referrers response.</summary>
    public static readonly ErrorCode RegistryResponseMalformed = new("SC4018", ErrorCategory.ServiceFailure, "the registry answer is malformed");

    /// <summary>SC4019: the registry client options are invalid (retry policy, limits, chunk size).</summary>
    public static readonly ErrorCode ClientOptionsInvalid = new("SC4019", ErrorCategory.TrustRootOrConfiguration, "the registry client options are invalid");

    /// <summary>SC4020: a read would take the evaluation past its <see cref="Registry.RegistryReadBudget"/> (total bytes of manifests, blobs and listings).</summary>
    public static readonly ErrorCode ReadBudgetExhausted = new("SC4020", ErrorCategory.MalformedInput, "the registry reads exceed the evaluation's read budget");

    /// <summary>SC4021: the registry read budget is invalid (total bytes and concurrent downloads must be positive).</summary>
    public static readonly ErrorCode ReadBudgetInvalid = new("SC4021", ErrorCategory.TrustRootOrConfiguration, "the registry read budget is invalid");
}
