using SupplyChain.Core.Errors;

namespace SupplyChain.Signing.Errors;

/// <summary>Stable error codes of SupplyChain.Signing.</summary>
public static partial class SigningErrors
{
    // Keys and key files (SC20xx)
}
