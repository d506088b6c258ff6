using SupplyChain.Core.Errors;

namespace SupplyChain.Policy;

/// <summary>Stable error codes of SupplyChain.Policy (the <c>SC5xxx</c> range), listed in <c>docs/errors.md</c>.</summary>
public static partial class PolicyErrors
{
    // Policy files (SC50xx)

    /// <summary>SC5001: the policy exceeds a size limit (bytes, nesting, entries).</summary>
    public static readonly ErrorCode PolicyTooLarge = new("SC5001", ErrorCategory.MalformedInput, "the policy exceeds a size limit");

    /// <summary>SC5002: the policy is not well-formed YAML or JSON, or uses a YAML feature the policy format refuses.</summary>
    public static readonly ErrorCode PolicySyntax = new("SC5002", ErrorCategory.MalformedInput, "the policy is not well-formed YAML or JSON");

    /// <summary>SC5003: a key appears twice in one mapping of the policy.</summary>
    public static readonly ErrorCode PolicyDuplicateKey = new("SC5003", ErrorCategory.MalformedInput, "the policy has a duplicate key");

    /// <summary>SC5004: the policy has a key the schema does not define.</summary>
    public static readonly ErrorCode PolicyUnknownKey = new("SC5004", ErrorCategory.MalformedInput, "the policy has a key the schema does not define");

    /// <summary>SC5005: the policy's apiVersion or kind is missing or not supported.</summary>
    public static readonly ErrorCode PolicyUnsupportedVersion = new("SC5005", ErrorCategory.MalformedInput, "the policy's apiVersion or kind is not supported");

    /// <summary>SC5006: a policy value is missing, of the wrong type, out of range, or invalid (glob, regular expression, name, threshold).</summary>
    public static readonly ErrorCode PolicyInvalidValue = new("SC5006", ErrorCategory.MalformedInput, "a policy value is missing or invalid");

    /// <summary>SC5007: a public key named by the policy cannot be read or is not a supported public key.</summary>
    public static readonly ErrorCode PolicyKeyInvalid = new("SC5007", ErrorCategory.TrustRootOrConfiguration, "a public key in the policy cannot be read");

    /// <summary>SC5008: the policy file cannot be read.</summary>
    public static readonly ErrorCode PolicyFileUnreadable = new("SC5008", ErrorCategory.TrustRootOrConfiguration, "the policy file cannot be read");

    /// <summary>SC5010: the registry part of an image-name glob (before the first '/', without '*') is not a registry <c>host[:port]</c>.</summary>
    public static readonly ErrorCode PolicyGlobRegistryInvalid = new("SC5010", ErrorCategory.MalformedInput, "the registry part of an image-name glob is not a valid host[:port]");
}
