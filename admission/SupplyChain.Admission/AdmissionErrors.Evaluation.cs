using SupplyChain.Core.Errors;

namespace SupplyChain.Admission;

public static partial class AdmissionErrors
{
}
