using SupplyChain.Core.Errors;

namespace SupplyChain.Signing.Errors;

/// <summary>Stable error codes of SupplyChain.Signing.</summary>
public static partial class SigningErrors
{
    // Fulcio, Rekor and TSA clients, bundle signer (SC22xx)
}
