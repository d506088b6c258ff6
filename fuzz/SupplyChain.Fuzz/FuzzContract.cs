using System.Text.RegularExpressions;
using SupplyChain.Core.Errors;

namespace SupplyChain.Fuzz;

/// <summary>
/// The contract every target holds (issue 19): a result, or a <see cref="SupplyChainException"/> carrying an
/// <c>SCnnnn</c> code (OperationCanceledException only where the target documents a timeout). Anything else escapes as
/// a crash: afl-fuzz records the input, the replay test fails.
/// </summary>
internal static partial class FuzzContract
{
    /// <summary>Runs <paramref name="input"/> through <paramref name="target"/>; returns the code of the documented failure, or <see langword="null"/> on success.</summary>
    /// <exception cref="ContractViolationException">A documented exception with a malformed code.</exception>
    public static string? Check(FuzzTarget target, ReadOnlySpan<byte> input)
    {
        try
        {
            target.Run(input);
            return null;
        }
        catch (SupplyChainException e)
        {
            RequireCode(e);
            return e.Code;
        }
        catch (OperationCanceledException) when (target.AllowsCancellation)
        {
            return "canceled";
        }
    }

    /// <summary>Throws <see cref="ContractViolationException"/> unless the code is SCnnnn.</summary>
    public static void RequireCode(SupplyChainException e)
    {
        if (!CodePattern().IsMatch(e.Code))
        {
            throw new ContractViolationException($"a {e.GetType().Name} with the code '{e.Code}', not SCnnnn", e);
        }
    }

    [GeneratedRegex("^SC[0-9]{4}$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex CodePattern();
}

/// <summary>A target broke the contract in a way that is not itself an exception escaping (a malformed code, a failed round trip).</summary>
internal sealed class ContractViolationException(string message, Exception? inner) : Exception(message, inner);
