namespace SupplyChain.Core.Errors;

/// <summary>Base of every failure the SupplyChain libraries raise; carries a stable <see cref="ErrorCode"/>.</summary>
public abstract class SupplyChainException : Exception
{
    private protected SupplyChainException(ErrorCode error, string message, Exception? inner)
        : base(message, inner)
    {
        Error = error;
    }

    /// <summary>The stable error code and its category.</summary>
    public ErrorCode Error { get; }

    /// <summary>The code string, such as <c>SC1001</c>.</summary>
    public string Code => Error.Code;
}

/// <summary>The bundle, artifact or identity did not verify. The caller must deny.</summary>
public sealed class VerificationFailedException : SupplyChainException
{
    internal VerificationFailedException(ErrorCode error, string message, Exception? inner)
        : base(error, message, inner)
    {
    }
}

/// <summary>The input was malformed or unsupported. A user error.</summary>
public sealed class MalformedInputException : SupplyChainException
{
    internal MalformedInputException(ErrorCode error, string message, Exception? inner)
        : base(error, message, inner)
    {
    }
}

/// <summary>A remote service request failed. Retrying may help.</summary>
public sealed class ServiceRequestException : SupplyChainException
{
    internal ServiceRequestException(ErrorCode error, string message, Exception? inner)
        : base(error, message, inner)
    {
    }
}

/// <summary>The trust root or configuration is unusable. An operator must act.</summary>
public sealed class TrustRootException : SupplyChainException
{
    internal TrustRootException(ErrorCode error, string message, Exception? inner)
        : base(error, message, inner)
    {
    }
}
