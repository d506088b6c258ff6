using System.Text;
using SupplyChain.Core.Transparency;
using SupplyChain.Core.Trust;
using SupplyChain.Instance.Log;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A checkpoint signed note (C2SP tlog-checkpoint and signed-note): Core's parser, verification against every log of
/// the production and Rekor v2 conformance roots, and the local instance's signed-checkpoint reader with its own key.
/// </summary>
internal sealed class CheckpointTarget : FuzzTarget
{
    /// <summary>A fixed Ed25519 signer (Fixtures/checkpoint-key.pem, made for the harness), so seeds can carry valid signatures.</summary>
    internal static readonly Lazy<CheckpointSigner> Signer = new(() =>
        CheckpointSigner.FromPkcs8Pem("fuzz.example/log", Encoding.UTF8.GetString(Fixtures.Read("checkpoint-key.pem"))));

    public override string Name => "checkpoint";

    public override string Description => "signed note text -> Checkpoint.Parse, CheckpointVerifier (all logs), SignedCheckpoint.Parse";

    public override string Dictionary => "text.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        // A bundle carries the checkpoint as a JSON string: any UTF-16 text can arrive, including what invalid UTF-8 decodes to.
        string note = Encoding.UTF8.GetString(input);
        Step(() => SignedCheckpoint.Parse(note, Signer.Value.VerifierKey));
        Checkpoint checkpoint = Checkpoint.Parse(note);
        foreach (TransparencyLogInstance log in TrustedRoot.Production.TransparencyLogs.Concat(Fixtures.Rekor2Root.TransparencyLogs))
        {
            Step(() => CheckpointVerifier.Verify(checkpoint, log));
        }
    }
}
