using SupplyChain.Core.Certificates;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// The SignedCertificateTimestampList extension value (RFC 6962 section 3.3: a DER OCTET STRING around a TLS
/// opaque list of SerializedSCTs), and the same bytes as one serialized SCT.
/// </summary>
internal sealed class SctListTarget : FuzzTarget
{
    public override string Name => "sct-list";

    public override string Description => "RFC 6962 SCT list extension value -> TLS list and SCT readers";

    public override string Dictionary => "der.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        // A refusal always says why; an accepted list has no failure and accounts for every SCT.
        if (SignedCertificateTimestamp.TryParseList(input.ToArray(), out List<SignedCertificateTimestamp> timestamps, out List<string> rejected, out string? failure)
            ? failure is not null || timestamps.Count + rejected.Count == 0
            : failure is null)
        {
            throw new ContractViolationException($"TryParseList and its failure text disagree ({failure ?? "none"})", null);
        }

        if (SignedCertificateTimestamp.TryParse(input, out SignedCertificateTimestamp? sct, out string? why) ? sct is null : why is null)
        {
            throw new ContractViolationException("TryParse and its failure text disagree", null);
        }
    }
}
