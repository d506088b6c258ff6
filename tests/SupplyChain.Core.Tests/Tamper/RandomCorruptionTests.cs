using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;

namespace SupplyChain.Core.Tests.Tamper;

/// <summary>
/// Seeded random corruption of valid bundles: every single-bit flip anywhere in the JSON must fail with a
/// <see cref="SupplyChainException"/> (a code), never verify and never escape as another exception.
/// </summary>
public class RandomCorruptionTests : IClassFixture<TamperContext>
{
    private const int FlipsPerShape = 1000;
    private readonly TamperContext _context;

    public RandomCorruptionTests(TamperContext context) => _context = context;

    public static TheoryData<string> Shapes()
    {
        var data = new TheoryData<string>();
        foreach (TamperBase shape in TamperBase.All)
        {
            data.Add(shape.Name);
        }

        return data;
    }

    private static bool IsSameJson(byte[] original, byte[] corrupted)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(original), System.Text.Json.Nodes.JsonNode.Parse(corrupted));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether the flip only turned the timestamp's SignedData version 3 into 1, which TimestampResponseDecoder accepts
    /// on purpose (GitHub's TSA wrote version 1; the version is outside what the signature covers).
    /// </summary>
    private static bool IsAcceptedSignedDataVersion(byte[] original, byte[] corrupted)
    {
        try
        {
            static System.Text.Json.Nodes.JsonObject? Timestamp(System.Text.Json.Nodes.JsonNode? document) =>
                document?["verificationMaterial"]?["timestampVerificationData"]?["rfc3161Timestamps"]?[0] as System.Text.Json.Nodes.JsonObject;
            System.Text.Json.Nodes.JsonNode? before = System.Text.Json.Nodes.JsonNode.Parse(original);
            System.Text.Json.Nodes.JsonNode? after = System.Text.Json.Nodes.JsonNode.Parse(corrupted);
            if (Timestamp(before) is not { } was || Timestamp(after) is not { } now)
            {
                return false;
            }

            byte[] a = Convert.FromBase64String((string)was["signedTimestamp"]!);
            byte[] b = Convert.FromBase64String((string)now["signedTimestamp"]!);
            now["signedTimestamp"] = (string)was["signedTimestamp"]!;
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(before, after) || a.Length != b.Length)
            {
                return false;
            }

            int[] differing = [.. Enumerable.Range(0, a.Length).Where(i => a[i] != b[i])];

            // "02 01 03" (INTEGER 3) became "02 01 01".
            return differing is [int at] && at >= 2 && a[at - 2] == 0x02 && a[at - 1] == 0x01 && a[at] == 3 && b[at] == 1;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or InvalidOperationException or InvalidCastException)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_single_bit_flip_fails_with_a_code(string shapeName)
    {
        TamperBase shape = TamperBase.All.Single(s => s.Name == shapeName);
        byte[] valid = _context.Valid(shape);
        var random = new Random(20261121 + shapeName.Length);
        var codes = new Dictionary<string, int>();
        for (int i = 0; i < FlipsPerShape; i++)
        {
            byte[] corrupted = (byte[])valid.Clone();
            int position = random.Next(corrupted.Length);
            corrupted[position] ^= (byte)(1 << random.Next(8));
            if (IsSameJson(valid, corrupted))
            {
                // e.g. "\u002B" -> "\u002b": another spelling of the same document, not a corruption.
                continue;
            }

            try
            {
                SigstoreBundle bundle = SigstoreBundle.Parse(corrupted);
                _context.Verifier.Verify(bundle, TamperContext.ArtifactInput(), TamperContext.DefaultPolicy);
                if (IsAcceptedSignedDataVersion(valid, corrupted))
                {
                    continue;
                }

                Assert.Fail($"flip at byte {position} verified: ...{System.Text.Encoding.UTF8.GetString(valid, Math.Max(0, position - 40), Math.Min(80, valid.Length - Math.Max(0, position - 40)))}...");
            }
            catch (SupplyChainException ex)
            {
                codes[ex.Code] = codes.GetValueOrDefault(ex.Code) + 1;
            }
        }

        // The corruption reached many different checks, not just the JSON parser.
        Assert.True(codes.Values.Sum() > FlipsPerShape * 9 / 10, $"only {codes.Values.Sum()} of {FlipsPerShape} flips changed the document");
        Assert.True(codes.Count >= 5, "codes seen: " + string.Join(", ", codes.Select(c => $"{c.Key}x{c.Value}")));
    }
}
