using SupplyChain.Core.Errors;

namespace SupplyChain.Instance;

/// <summary>Stable error codes of SupplyChain.Instance (the <c>SC8xxx</c> range), listed in <c>docs/errors.md</c>.</summary>
public static partial class InstanceErrors
{
    /// <summary>SC8001: the instance directory does not exist or was never initialised (run <c>signcli instance init</c>).</summary>
    public static readonly ErrorCode InstanceNotInitialised = new("SC8001", ErrorCategory.TrustRootOrConfiguration, "the local instance is not initialised");
}
