using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A DSSE envelope document and an in-toto statement (the envelope's payload, or the input itself): the envelope
/// parser, PAE, and the statement parser (v1 and v0.1).
/// </summary>
internal sealed class DsseTarget : FuzzTarget
{
    public override string Name => "dsse";

    public override string Description => "DSSE envelope JSON / in-toto statement JSON -> DsseEnvelope.Parse, PAE, InTotoStatement.Parse";

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] copy = input.ToArray();
        Step(() => InTotoStatement.Parse(copy));
        DsseEnvelope envelope = DsseEnvelope.Parse(input);
        Dsse.PreAuthenticationEncoding(envelope.PayloadType, envelope.Payload.Span);
        InTotoStatement.Parse(envelope.Payload.Span);
    }
}
