using SupplyChain.Core.Timestamps;
using SupplyChain.Core.Trust;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// An RFC 3161 TimeStampResp (a bundle's <c>signedTimestamp</c>, or a TSA's answer): the decoder down to the
/// TSTInfo, then verification as a timestamp over the Rekor v2 conformance bundle's signature against that bundle's
/// root (production TSA) and the production root.
/// </summary>
internal sealed class TimestampTarget : FuzzTarget
{
    public override string Name => "timestamp";

    public override string Description => "RFC 3161 TimeStampResp DER -> decoder, TimestampVerifier (2 roots)";

    public override string Dictionary => "der.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        ReadOnlyMemory<byte> token = input.ToArray();
        TimestampResponseDecoder.Decode(token);
        ReadOnlyMemory<byte> signature = Fixtures.Rekor2Bundle.MessageSignature!.Signature;
        Step(() => new TimestampVerifier(Fixtures.Rekor2Root).Verify(token, signature.Span));
        Step(() => new TimestampVerifier(TrustedRoot.Production).Verify(token, signature.Span));
    }
}
