namespace SupplyChain.Core.Errors;

/// <summary>
/// A stable error code (for example <c>SC1001</c>) with the category that tells the caller what to do.
/// Codes never change meaning once shipped; every code is listed in <c>docs/errors.md</c>.
/// </summary>
public sealed class ErrorCode : IEquatable<ErrorCode>
{
    /// <summary>Defines a code. Libraries define their codes once, as static fields, in their own range.</summary>
    /// <param name="code">The code, <c>SC</c> followed by four digits.</param>
    /// <param name="category">What the caller must do about the failure.</param>
    /// <param name="summary">A one-line description.</param>
    public ErrorCode(string code, ErrorCategory category, string summary)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(summary);
        if (code.Length != 6 || !code.StartsWith("SC", StringComparison.Ordinal) || code.AsSpan(2).ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("An error code is SC followed by four digits.", nameof(code));
        }

        Code = code;
        Category = category;
        Summary = summary;
    }

    /// <summary>The code, such as <c>SC1001</c>.</summary>
    public string Code { get; }

    /// <summary>What the caller must do about this failure.</summary>
    public ErrorCategory Category { get; }

    /// <summary>A one-line description of the failure, as listed in the catalogue.</summary>
    public string Summary { get; }

    /// <summary>Creates the exception of this code's category with a detail message.</summary>
    /// <param name="detail">What exactly failed; never a token, private key or full certificate.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public SupplyChainException ToException(string? detail = null, Exception? inner = null) => ToException(detail, inner, null);

    /// <summary>
    /// Creates the exception of this code's category with a detail message and, apart from it, what the remote service
    /// said (<see cref="SupplyChainException.RemoteDetail"/>): remote text never goes into the message.
    /// </summary>
    /// <param name="detail">What exactly failed, in our words; never a token, private key, full certificate or remote text.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    /// <param name="remoteDetail">What the remote service sent (an error body, a header), or <c>null</c>.</param>
    public SupplyChainException ToException(string? detail, Exception? inner, string? remoteDetail)
    {
        string message = detail is null ? $"{Code}: {Summary}" : $"{Code}: {Summary}: {detail}";
        return Category switch
        {
            ErrorCategory.VerificationFailed => new VerificationFailedException(this, message, inner, remoteDetail),
            ErrorCategory.MalformedInput => new MalformedInputException(this, message, inner, remoteDetail),
            ErrorCategory.ServiceFailure => new ServiceRequestException(this, message, inner, remoteDetail),
            _ => new TrustRootException(this, message, inner, remoteDetail),
        };
    }

    /// <inheritdoc />
    public bool Equals(ErrorCode? other) => other is not null && other.Code == Code;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ErrorCode);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Code);

    /// <inheritdoc />
    public override string ToString() => Code;
}
