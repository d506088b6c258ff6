namespace SupplyChain.Testing.Virtual;

/// <summary>An entry appended to a <see cref="VirtualTransparencyLog"/>: where it is, and the honest proof of it.</summary>
/// <param name="Index">The entry's index.</param>
/// <param name="TreeSize">The size of the tree the proof and checkpoint are for.</param>
/// <param name="RootHash">That tree's root hash.</param>
/// <param name="InclusionProof">The RFC 6962 audit path, leaf side first.</param>
/// <param name="Checkpoint">The log's signed checkpoint of that tree (a C2SP signed note).</param>
public sealed record LogAppend(long Index, long TreeSize, byte[] RootHash, IReadOnlyList<byte[]> InclusionProof, string Checkpoint);
