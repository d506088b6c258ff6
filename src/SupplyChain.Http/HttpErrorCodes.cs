using SupplyChain.Core.Errors;

namespace SupplyChain.Http;

/// <summary>
/// The codes the layer throws with, so that each client keeps its own code family: the layer fails only for what it
/// owns (the connection, the clock, the size limit); every HTTP status is returned to the caller to map.
/// </summary>
/// <param name="Unreachable">The connection failed (DNS, refused, reset, TLS) in every attempt.</param>
/// <param name="TimedOut">No complete answer arrived within the attempt timeout in every attempt.</param>
/// <param name="TooLarge">A successful response's body is larger than the call's limit.</param>
public sealed record HttpErrorCodes(ErrorCode Unreachable, ErrorCode TimedOut, ErrorCode TooLarge)
{
    /// <summary>One code for every failure (a flow that distinguishes only "this request failed").</summary>
    /// <param name="code">The code.</param>
    /// <returns>The codes.</returns>
    public static HttpErrorCodes All(ErrorCode code) => new(code, code, code);
}
