using System.Text;
using SupplyChain.Signing.Keys;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A private key file as <c>signcli sign --key</c> reads it: cosign's encrypted format (scrypt + secretbox JSON in
/// PEM armour) and the PEM forms beside it (PKCS#8, encrypted PKCS#8, SEC1, PKCS#1), with the password the seeds were
/// made with; and the same bytes as the cosign JSON body alone.
/// </summary>
internal sealed class CosignKeyTarget : FuzzTarget
{
    internal static readonly byte[] Password = "fuzz"u8.ToArray();

    public override string Name => "cosign-key";

    public override string Description => "cosign encrypted key PEM / JSON body -> KeyFileSigner.FromPem, CosignKeyFile.DecryptBody";

    public override string Dictionary => "json.dict";

    /// <summary>The documented ceiling is scrypt with 1 GiB and 2^24 block mixes (KeyFileLimits): seconds, by design.</summary>
    public override int AflTimeoutMilliseconds => 20000;

    /// <inheritdoc/>
    public override long MemoryLimitBytes => 1536L << 20;

    public override void Run(ReadOnlySpan<byte> input)
    {
        byte[] body = input.ToArray();
        Step(() => CosignKeyFile.DecryptBody(body, Password));
        using KeyFileSigner signer = KeyFileSigner.FromPem(Encoding.UTF8.GetString(input), Password);
    }
}
