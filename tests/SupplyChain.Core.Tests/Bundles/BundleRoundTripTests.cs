using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Testing;
using Xunit.Abstractions;

namespace SupplyChain.Core.Tests.Bundles;

/// <summary>
/// Every conformance bundle and every bundle under testdata/: parse, write, parse again. The two models are equal
/// field by field, writing is idempotent (byte-equal the second time), and what we write differs from the input only
/// in ways RFC 8259 says carry no meaning: whitespace, the spelling of string escapes, member order
/// (docs/verification.md, "Bundle JSON").
/// </summary>
public sealed class BundleRoundTripTests(ITestOutputHelper output)
{
    /// <summary>How a bundle's written form compares with its input.</summary>
    public enum Form
    {
        /// <summary>Byte-equal to the input once its insignificant whitespace is removed.</summary>
        ByteEqual,

        /// <summary>Equal once string escapes are spelled as ours (non-ASCII as \uXXXX, or the reverse).</summary>
        EscapesDiffer,

        /// <summary>The same JSON value with members in another order (we write protobuf-specs declaration order).</summary>
        OrderDiffers,

        /// <summary>The input spells out proto3 default values (an int64 "0", an empty list or timestampVerificationData) that we leave out.</summary>
        DefaultsSpelledOut,

        /// <summary>The input does not parse (a _fail case of the conformance suite).</summary>
        Rejected,
    }

    public static IEnumerable<string> BundlePaths()
    {
        var paths = new List<string>();
        if (TestPaths.ConformanceBundleVerify is { } conformance)
        {
            paths.AddRange(Directory.GetDirectories(conformance).Select(d => Path.Combine(d, "bundle.sigstore.json")).Where(File.Exists));
        }

        paths.AddRange(Directory.GetFiles(TestPaths.TestData, "*.sigstore.json", SearchOption.AllDirectories));
        return paths.Order(StringComparer.Ordinal);
    }

    public static TheoryData<string> Bundles()
    {
        var data = new TheoryData<string>();
        foreach (string path in BundlePaths())
        {
            data.Add(Path.GetRelativePath(TestPaths.RepositoryRoot, path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bundles))]
    public void Bundle_round_trips(string path) => AssertRoundTrips(Path.GetFullPath(path, TestPaths.RepositoryRoot));

    [Fact]
    public void Round_trip_summary()
    {
        var forms = BundlePaths().ToDictionary(p => p, AssertRoundTrips);
        foreach (IGrouping<Form, KeyValuePair<string, Form>> group in forms.GroupBy(f => f.Value).OrderBy(g => g.Key))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
            foreach (KeyValuePair<string, Form> item in group)
            {
                output.WriteLine("  " + Path.GetFileName(Path.GetDirectoryName(item.Key)));
            }
        }

        // 22 bundles under testdata/: 6 copied from the conformance suite, byte-equal, and the DSSE one, whose
        // verificationMaterial is in another order; 9 version-rule cases refused; sigstore-python's (interop/): 2 parse
        // (raw em dash in the checkpoint: escapes differ), 2 refused (no checkpoint); the GitHub instance's and npm's real
        // bundles (github-instance, npm-provenance) spell out empty lists. With the 70 conformance cases: 60 parse, 10 are
        // refused as their defects require (bundle-with-root-cert_fail has a checkpoint-less proof).
        var expected = TestPaths.ConformanceBundleVerify is null
            ? new Dictionary<Form, int> { [Form.ByteEqual] = 6, [Form.EscapesDiffer] = 2, [Form.OrderDiffers] = 1, [Form.DefaultsSpelledOut] = 2, [Form.Rejected] = 11 }
            : new Dictionary<Form, int> { [Form.ByteEqual] = 37, [Form.EscapesDiffer] = 12, [Form.OrderDiffers] = 15, [Form.DefaultsSpelledOut] = 7, [Form.Rejected] = 21 };
        Assert.Equal(expected.OrderBy(e => e.Key), forms.GroupBy(f => f.Value).ToDictionary(g => g.Key, g => g.Count()).OrderBy(e => e.Key));
    }

    /// <summary>
    /// sigstore-js (@sigstore/bundle bundleToJSON, the protobuf-specs generated writer) writes every bundle both of us read
    /// exactly as we do, up to three documented choices: it writes non-ASCII characters raw where we escape them, it
    /// leaves out an empty DSSE <c>keyid</c> that we keep as given, and it keeps an empty <c>timestampVerificationData</c>
    /// (a message that was present) that we leave out.
    /// </summary>
    [NodeInteropFact]
    public void Sigstore_js_writes_what_we_write()
    {
        string[] paths = [.. BundlePaths()];
        (int exitCode, string stdout) = NodeInterop.RunSigstoreJs("roundtrip.mjs", paths);
        Assert.True(exitCode == 0, stdout);
        int compared = 0;
        foreach (string line in stdout.Split('\n'))
        {
            string[] parts = line.Split('\t', 3);
            if (parts.Length != 3 || parts[1] != "OK" || !SigstoreBundle.TryParse(File.ReadAllBytes(parts[0]), out SigstoreBundle? bundle, out _))
            {
                continue;
            }

            byte[] theirs = BundleJsonForms.WithOurEscaping(System.Text.Encoding.UTF8.GetBytes(parts[2].Replace(",\"timestampVerificationData\":{}", string.Empty, StringComparison.Ordinal)));
            string ours = System.Text.Encoding.UTF8.GetString(bundle.ToJson());
            if (bundle.DsseEnvelope?.Signatures.Any(s => s.KeyId == string.Empty) == true)
            {
                ours = ours.Replace(",\"keyid\":\"\"", string.Empty, StringComparison.Ordinal);
            }

            Assert.True(ours == System.Text.Encoding.UTF8.GetString(theirs), $"{parts[0]}:\nours   {ours}\ntheirs {System.Text.Encoding.UTF8.GetString(theirs)}");
            compared++;
        }

        output.WriteLine($"{compared} bundles written identically by sigstore-js and by us");
        Assert.True(compared >= (TestPaths.ConformanceBundleVerify is null ? 7 : 60), $"only {compared} bundles compared:\n{stdout}");
    }

    private static Form AssertRoundTrips(string path)
    {
        byte[] input = File.ReadAllBytes(path);
        string folder = Path.GetFileName(Path.GetDirectoryName(path))!;
        if (!SigstoreBundle.TryParse(input, out SigstoreBundle? bundle, out SupplyChainException? error))
        {
            // Only a case that must fail may fail to parse, and only with a bundle code.
            Assert.EndsWith("_fail", folder, StringComparison.Ordinal);
            Assert.StartsWith("SC10", error.Code, StringComparison.Ordinal);
            return Form.Rejected;
        }

        byte[] written = bundle.ToJson();
        SigstoreBundle again = SigstoreBundle.Parse(written);
        BundleModelAssert.Equal(bundle, again);
        Assert.Equal(written, again.ToJson());

        byte[] compact = BundleJsonForms.WithoutWhitespace(input);
        if (compact.AsSpan().SequenceEqual(written))
        {
            return Form.ByteEqual;
        }

        if (BundleJsonForms.WithOurEscaping(compact).AsSpan().SequenceEqual(written))
        {
            return Form.EscapesDiffer;
        }

        if (BundleJsonForms.SameJson(input, written))
        {
            return Form.OrderDiffers;
        }

        Assert.True(BundleJsonForms.SameJson(BundleJsonForms.WithoutDefaults(input), written), $"{folder}: the written bundle is not the same JSON value as the input:\n{System.Text.Encoding.UTF8.GetString(written)}");
        return Form.DefaultsSpelledOut;
    }
}
