using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>What a mutation hands to the verifier: the bundle and, when it changes them, trust, policy or artifact.</summary>
public sealed record TamperCase(byte[] Bundle, ITrustedMaterial? Trust = null, VerificationPolicy? Policy = null, Artifact? Artifact = null);

/// <summary>A named way to break a valid bundle, the shapes it applies to, and the code it must fail with.</summary>
public sealed record Mutation(
    string Name,
    Func<TamperBase, bool> AppliesTo,
    Func<TamperContext, TamperBase, TamperCase> Build,
    Func<TamperBase, string> ExpectedCode)
{
    public static Mutation For(string name, Func<TamperBase, bool> appliesTo, Func<TamperContext, TamperBase, TamperCase> build, string code) =>
        new(name, appliesTo, build, _ => code);

    public override string ToString() => Name;
}
