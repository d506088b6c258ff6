namespace SupplyChain.Core.Errors;

/// <summary>Base of every failure the SupplyChain libraries raise; carries a stable <see cref="ErrorCode"/>.</summary>
public abstract class SupplyChainException : Exception
{
    private protected SupplyChainException(ErrorCode error, string message, Exception? inner, string? remoteDetail)
        : base(message, inner)
    {
        Error = error;
        RemoteDetail = remoteDetail;
    }

    /// <summary>The stable error code and its category.</summary>
    public ErrorCode Error { get; }

    /// <summary>The code string, such as <c>SC1001</c>.</summary>
    public string Code => Error.Code;

    /// <summary>
    /// What a remote service said about the failure (a registry's error body, a header value it sent), or <c>null</c>.
    /// Kept out of <see cref="Exception.Message"/>, which holds only the code, the status and what was being fetched:
    /// remote text is for diagnostics (<c>signcli --debug</c>) and must never reach a third party (an admission
    /// denial), where it would be an oracle for probing the network.
    /// </summary>
    public string? RemoteDetail { get; }
}

/// <summary>The bundle, artifact or identity did not verify. The caller must deny.</summary>
public sealed class VerificationFailedException : SupplyChainException
{
    internal VerificationFailedException(ErrorCode error, string message, Exception? inner, string? remoteDetail = null)
        : base(error, message, inner, remoteDetail)
    {
    }
}

/// <summary>The input was malformed or unsupported. A user error.</summary>
public sealed class MalformedInputException : SupplyChainException
{
    internal MalformedInputException(ErrorCode error, string message, Exception? inner, string? remoteDetail = null)
        : base(error, message, inner, remoteDetail)
    {
    }
}

/// <summary>A remote service request failed. Retrying may help.</summary>
public sealed class ServiceRequestException : SupplyChainException
{
    internal ServiceRequestException(ErrorCode error, string message, Exception? inner, string? remoteDetail = null)
        : base(error, message, inner, remoteDetail)
    {
    }
}

/// <summary>The trust root or configuration is unusable. An operator must act.</summary>
public sealed class TrustRootException : SupplyChainException
{
    internal TrustRootException(ErrorCode error, string message, Exception? inner, string? remoteDetail = null)
        : base(error, message, inner, remoteDetail)
    {
    }
}
