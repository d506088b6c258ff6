using SupplyChain.Core.Bundles;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>A valid bundle shape the tamper suite starts from.</summary>
/// <param name="Name">Short name used in test names.</param>
/// <param name="Version">Bundle version.</param>
/// <param name="Log">Rekor v1 (SET + proof) or Rekor v2 (proof + RFC 3161 timestamp).</param>
/// <param name="IsDsse">DSSE envelope (in-toto statement) rather than a message signature.</param>
public sealed record TamperBase(string Name, BundleVersion Version, LogFlavour Log, bool IsDsse)
{
    public static readonly TamperBase V01Message = new("v0.1-rekor1-message", BundleVersion.V0_1, LogFlavour.RekorV1, false);
    public static readonly TamperBase V03Message = new("v0.3-rekor1-message", BundleVersion.V0_3, LogFlavour.RekorV1, false);
    public static readonly TamperBase V03Dsse = new("v0.3-rekor1-dsse", BundleVersion.V0_3, LogFlavour.RekorV1, true);
    public static readonly TamperBase V03Rekor2Message = new("v0.3-rekor2-tsa-message", BundleVersion.V0_3, LogFlavour.RekorV2, false);
    public static readonly TamperBase V03Rekor2Dsse = new("v0.3-rekor2-tsa-dsse", BundleVersion.V0_3, LogFlavour.RekorV2, true);

    public static IReadOnlyList<TamperBase> All { get; } = [V01Message, V03Message, V03Dsse, V03Rekor2Message, V03Rekor2Dsse];

    /// <summary>Rekor v2 entries carry no SET, so they need an RFC 3161 timestamp.</summary>
    public bool HasTimestamp => Log == LogFlavour.RekorV2;

    public bool HasSet => Log == LogFlavour.RekorV1;

    public override string ToString() => Name;
}
