using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Hosting;

/// <summary>What one reload check of one source did, and why it failed.</summary>
/// <param name="What">The source: <c>certificate</c>, <c>policy</c> or <c>trust</c> (the metric label).</param>
/// <param name="Result">The result.</param>
/// <param name="Error">The failure (SC7205-SC7207 with the cause inside) when <paramref name="Result"/> is <see cref="ReloadResult.Failed"/>.</param>
internal readonly record struct ReloadOutcome(string What, ReloadResult Result, SupplyChainException? Error = null);
