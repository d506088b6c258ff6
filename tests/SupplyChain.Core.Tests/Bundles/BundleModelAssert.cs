using SupplyChain.Core.Bundles;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>Field-by-field equality of two bundle models (independent of the JSON writer under test).</summary>
internal static class BundleModelAssert
{
    public static void Equal(SigstoreBundle expected, SigstoreBundle actual)
    {
        Assert.Equal(expected.MediaType, actual.MediaType);
        Assert.Equal(expected.Version, actual.Version);
        Equal(expected.VerificationMaterial, actual.VerificationMaterial);
        Assert.Equal(expected.MessageSignature is null, actual.MessageSignature is null);
        if (expected.MessageSignature is { } em)
        {
            MessageSignature am = actual.MessageSignature!;
            Assert.Equal(em.DigestAlgorithm, am.DigestAlgorithm);
            Assert.Equal(em.Digest?.ToArray(), am.Digest?.ToArray());
            Bytes(em.Signature, am.Signature);
        }

        Assert.Equal(expected.DsseEnvelope is null, actual.DsseEnvelope is null);
        if (expected.DsseEnvelope is { } ee)
        {
            DsseEnvelope ae = actual.DsseEnvelope!;
            Bytes(ee.Payload, ae.Payload);
            Assert.Equal(ee.PayloadType, ae.PayloadType);
            Assert.Equal(ee.Signatures.Count, ae.Signatures.Count);
            for (int i = 0; i < ee.Signatures.Count; i++)
            {
                Bytes(ee.Signatures[i].Signature, ae.Signatures[i].Signature);
                Assert.Equal(ee.Signatures[i].KeyId, ae.Signatures[i].KeyId);
            }
        }
    }

    private static void Equal(VerificationMaterial expected, VerificationMaterial actual)
    {
        Assert.Equal(expected.Content, actual.Content);
        Assert.Equal(expected.PublicKeyHint, actual.PublicKeyHint);
        List(expected.Certificates, actual.Certificates);
        List(expected.Rfc3161Timestamps, actual.Rfc3161Timestamps);
        Assert.Equal(expected.TlogEntries.Count, actual.TlogEntries.Count);
        for (int i = 0; i < expected.TlogEntries.Count; i++)
        {
            TransparencyLogEntry e = expected.TlogEntries[i];
            TransparencyLogEntry a = actual.TlogEntries[i];
            Assert.Equal(e.LogIndex, a.LogIndex);
            Bytes(e.LogId, a.LogId);
            Assert.Equal(e.Kind, a.Kind);
            Assert.Equal(e.KindVersion, a.KindVersion);
            Assert.Equal(e.IntegratedTime, a.IntegratedTime);
            Assert.Equal(e.SignedEntryTimestamp?.ToArray(), a.SignedEntryTimestamp?.ToArray());
            Bytes(e.CanonicalizedBody, a.CanonicalizedBody);
            Assert.Equal(e.InclusionProof is null, a.InclusionProof is null);
            if (e.InclusionProof is { } ep)
            {
                InclusionProof ap = a.InclusionProof!;
                Assert.Equal(ep.LogIndex, ap.LogIndex);
                Assert.Equal(ep.TreeSize, ap.TreeSize);
                Bytes(ep.RootHash, ap.RootHash);
                List(ep.Hashes, ap.Hashes);
                Assert.Equal(ep.Checkpoint, ap.Checkpoint);
            }
        }
    }

    private static void List(IReadOnlyList<ReadOnlyMemory<byte>> expected, IReadOnlyList<ReadOnlyMemory<byte>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Bytes(expected[i], actual[i]);
        }
    }

    private static void Bytes(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual) => Assert.Equal(expected.ToArray(), actual.ToArray());
}
