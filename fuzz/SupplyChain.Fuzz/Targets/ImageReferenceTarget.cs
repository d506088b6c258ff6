using System.Text;
using SupplyChain.Oci.Registry;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// An image reference as a pod spec, a policy or a lineage annotation names it: Parse and TryParse agree, registry
/// normalisation, and a parsed reference prints to text that parses back to the same reference.
/// </summary>
internal sealed class ImageReferenceTarget : FuzzTarget
{
    public override string Name => "image-reference";

    public override string Description => "image reference text -> ImageReference.Parse/TryParse, round trip, registry normalisation";

    public override string Dictionary => "text.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        Step(() => ImageReference.NormalizeRegistry(text));
        bool parsed = ImageReference.TryParse(text, out ImageReference? reference);
        if (!parsed)
        {
            // TryParse refused it: Parse must refuse it with a code too.
            ImageReference.Parse(text);
            throw new ContractViolationException($"TryParse refused '{text}' but Parse accepted it", null);
        }

        ImageReference again = ImageReference.Parse(reference!.ToString());
        if (!again.Equals(reference))
        {
            throw new ContractViolationException($"'{text}' parses to '{reference}', which parses to '{again}'", null);
        }
    }
}
