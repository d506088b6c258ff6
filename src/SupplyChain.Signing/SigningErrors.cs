namespace SupplyChain.Signing;

/// <summary>
/// Stable error codes of SupplyChain.Signing (the <c>SC2xxx</c> range), listed in <c>docs/errors.md</c>: keys and key
/// files (<c>SC20xx</c>, SigningErrors.Keys.cs), identity tokens and OIDC flows (<c>SC21xx</c>, SigningErrors.Oidc.cs),
/// the Sigstore service clients and the bundle signer (<c>SC22xx</c>, SigningErrors.Services.cs), provenance from CI runs and
/// statement subjects (<c>SC2020</c>-<c>SC2039</c>, SigningErrors.Provenance.cs).
/// </summary>
public static partial class SigningErrors
{
}
