using System.Security.Cryptography;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Trust;

namespace SupplyChain.Core.Transparency;

/// <summary>Verifies an entry's inclusion proof and the checkpoint it leads to.</summary>
internal static class InclusionVerifier
{
    /// <summary>
    /// The proof must lead from the entry's leaf hash to its root hash (SC1206); the checkpoint must be a
    /// signed note (SC1208) signed by <paramref name="log"/> (SC1209) for that same size and root (SC1210).
    /// A proof without a checkpoint has an unsigned root: it is accepted only when <paramref name="promiseVerified"/>
    /// (a verified SET vouches for inclusion, as in v0.1 bundles written before checkpoints; the parser requires a
    /// checkpoint from v0.2 on), and fails with SC1214 otherwise.
    /// </summary>
    public static void Verify(TransparencyLogEntry entry, InclusionProof proof, TransparencyLogInstance log, bool promiseVerified)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(log);

        if (proof.Hashes.Count > Limits.MaxInclusionProofHashes)
        {
            throw CoreErrors.InclusionProofInvalid.ToException($"more than {Limits.MaxInclusionProofHashes} hashes");
        }

        // RFC 9162 section 2.1.3.2: the leaf hash is HASH(0x00 || entry), where the entry is the
        // canonicalized body the log stored.
        Span<byte> leafHash = stackalloc byte[MerkleTree.HashSize];
        MerkleTree.HashLeaf(entry.CanonicalizedBody.Span, leafHash);
        if (!MerkleTree.VerifyInclusion(proof.LogIndex, proof.TreeSize, leafHash, proof.Hashes, proof.RootHash.Span))
        {
            throw CoreErrors.InclusionProofInvalid.ToException($"index {proof.LogIndex} in a tree of {proof.TreeSize}");
        }

        if (proof.Checkpoint is null)
        {
            if (promiseVerified)
            {
                return;
            }

            throw CoreErrors.CheckpointMissing.ToException("and the entry has no verified inclusion promise");
        }

        Checkpoint checkpoint = Checkpoint.Parse(proof.Checkpoint);
        CheckpointVerifier.Verify(checkpoint, log);

        // tlog-checkpoint: the checkpoint commits to "the size of the tree" and "the root hash of the
        // tree"; the proof is only anchored by a signature when it is for that very tree.
        if (checkpoint.Size != proof.TreeSize || !CryptographicOperations.FixedTimeEquals(checkpoint.RootHash.Span, proof.RootHash.Span))
        {
            throw CoreErrors.CheckpointMismatch.ToException($"checkpoint size {checkpoint.Size}, proof tree size {proof.TreeSize}");
        }
    }
}
