using System.Reflection;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;

namespace SupplyChain.Fuzz;

/// <summary>
/// The fixed trusted material the targets verify against: the embedded production root, and two custom roots of the
/// Sigstore conformance vectors (Rekor v2 with a TSA; a managed key), copied under Fixtures/ so the harness and the
/// replay test need no shared folder.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<TrustedRoot> Rekor2 = new(() => TrustedRoot.Parse(Read("trusted_root.rekor2.json")));
    private static readonly Lazy<TrustedRoot> ManagedKey = new(() => TrustedRoot.Parse(Read("trusted_root.managed-key.json")));
    private static readonly Lazy<PublicKeyVerifier> ManagedKeyVerifier = new(() => PublicKeyVerifier.FromPem(System.Text.Encoding.UTF8.GetString(Read("managed-key.pub"))));

    /// <summary>Conformance <c>rekor2-happy-path</c>: local Fulcio, Rekor v2 (Ed25519), production TSA.</summary>
    public static TrustedRoot Rekor2Root => Rekor2.Value;

    /// <summary>Conformance <c>managed-key-and-trusted-root</c>.</summary>
    public static TrustedRoot ManagedKeyRoot => ManagedKey.Value;

    /// <summary>The key of <c>managed-key-and-trusted-root</c>.</summary>
    public static PublicKeyVerifier ManagedKeyPublicKey => ManagedKeyVerifier.Value;

    private static readonly Lazy<SigstoreBundle> MessageBundleValue = new(() => SigstoreBundle.Parse(Read("bundle.message.json")));
    private static readonly Lazy<SigstoreBundle> DsseBundleValue = new(() => SigstoreBundle.Parse(Read("bundle.dsse.json")));
    private static readonly Lazy<SigstoreBundle> Rekor2BundleValue = new(() => SigstoreBundle.Parse(Read("bundle.rekor2.json")));

    /// <summary>Conformance <c>happy-path-v0.3-new-mediaType</c>: message signature, Rekor v1 hashedrekord, production.</summary>
    public static SigstoreBundle MessageBundle => MessageBundleValue.Value;

    /// <summary>Conformance <c>happy-path-intoto-in-dsse-v3</c>: DSSE, Rekor v1 dsse, production.</summary>
    public static SigstoreBundle DsseBundle => DsseBundleValue.Value;

    /// <summary>Conformance <c>rekor2-happy-path</c>: message signature, Rekor v2 hashedrekord 0.0.2, RFC 3161 timestamp.</summary>
    public static SigstoreBundle Rekor2Bundle => Rekor2BundleValue.Value;

    /// <summary>The artifact of the conformance vectors (<c>a.txt</c>).</summary>
    public static ReadOnlyMemory<byte> ConformanceArtifact { get; } =
        "DO NOT MODIFY ME!\n\nthis is \"a.txt\", a sample input for sigstore-conformance's test suite.\n\nDO NOT MODIFY ME!\n"u8.ToArray();

    public static byte[] Read(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SupplyChain.Fuzz.Fixtures." + name)
            ?? throw new InvalidOperationException($"fixture {name} is not embedded");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
