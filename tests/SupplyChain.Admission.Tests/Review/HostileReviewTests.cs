using System.Text;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Tests.Review;

/// <summary>
/// Mutated golden reviews (a fixed seed, so every run tries the same inputs): the reader either reads a review or
/// refuses it with an SC70xx code, and the evaluator answers every review it read (allowed or denied with a code),
/// never with another exception.
/// </summary>
public sealed class HostileReviewTests : IClassFixture<AdmissionWorld>
{
    private readonly AdmissionWorld _world;

    public HostileReviewTests(AdmissionWorld world) => _world = world;

    private static byte[] Golden(string folder) => File.ReadAllBytes(Path.Combine(AdmissionWorld.Folder, folder, "request.json"));

    private static byte[] Mutate(byte[] source, Random random)
    {
        byte[] bytes = (byte[])source.Clone();
        int edits = random.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            int at = random.Next(bytes.Length);
            bytes[at] = random.Next(4) switch
            {
                0 => (byte)random.Next(256),
                1 => (byte)"{}[]\",:0n"[random.Next(9)],
                2 => (byte)' ',
                _ => bytes[random.Next(bytes.Length)],
            };
        }

        return bytes;
    }

    [Fact]
    public async Task Mutated_reviews_are_read_or_refused_with_a_code_and_every_read_one_is_answered()
    {
        var random = new Random(20261122);
        string[] folders = ["pod", "cronjob_fail", "multi_image_bad_init_fail", "image_volume", "ephemeralcontainers_legacy", "delete"];
        var evaluator = new AdmissionEvaluator(new AdmissionEvaluatorOptions());
        int read = 0;
        int refused = 0;
        for (int i = 0; i < 600; i++)
        {
            byte[] body = Mutate(Golden(folders[i % folders.Length]), random);
            AdmissionReview review;
            try
            {
                review = AdmissionReviewJson.Read(body);
            }
            catch (SupplyChainException ex)
            {
                Assert.Matches("^SC700[1-4]$", ex.Error.Code);
                refused++;
                continue;
            }

            read++;
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            AdmissionOutcome outcome = await evaluator.ReviewAsync(review.Request!, _world.Snapshot(), deadline.Token);
            Assert.Equal(review.Request!.Uid, outcome.Response.Uid);
            if (!outcome.Response.Allowed)
            {
                Assert.Matches("^SC[0-9]{4}: ", outcome.Response.Status!.Message);
            }

            Assert.NotEmpty(AdmissionReviewJson.Write(new AdmissionReview { Response = outcome.Response }));
        }

        // Both paths were exercised.
        Assert.True(read > 50 && refused > 50, $"read {read}, refused {refused}");
    }

    [Fact]
    public async Task Lone_surrogate_escapes_are_refused_with_a_code_in_the_request_and_denied_in_the_object()
    {
        string golden = Encoding.UTF8.GetString(Golden("pod"));
        string badUid = golden.Replace("\"uid\": \"00000000-0000-4000-8000-000000000001\"", "\"uid\": \"\\ud800\"", StringComparison.Ordinal);
        Assert.NotEqual(golden, badUid);
        Assert.Equal("SC7004", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => AdmissionReviewJson.Read(Encoding.UTF8.GetBytes(badUid)))).Error.Code);

        string badImage = golden.Replace("\"image\": \"registry.example/apps/api:2.0\"", "\"image\": \"registry.example/apps/api:\\udc00\"", StringComparison.Ordinal);
        Assert.NotEqual(golden, badImage);
        AdmissionReview review = AdmissionReviewJson.Read(Encoding.UTF8.GetBytes(badImage));
        AdmissionOutcome outcome = await new AdmissionEvaluator(new AdmissionEvaluatorOptions()).ReviewAsync(review.Request!, _world.Snapshot(), CancellationToken.None);
        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC7011: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_UTF8_and_a_byte_order_mark_are_SC7002()
    {
        byte[] golden = Golden("pod");
        byte[] invalid = [.. golden[..20], 0xC3, 0x28, .. golden[20..]];
        Assert.Equal("SC7002", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => AdmissionReviewJson.Read(invalid))).Error.Code);
        // RFC 8259 section 8.1: senders MUST NOT add a byte order mark; the API server never does (nor would Go's encoding/json read one).
        Assert.Equal("SC7002", Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(() => AdmissionReviewJson.Read((byte[])[.. Encoding.UTF8.GetPreamble(), .. golden]))).Error.Code);
        Assert.Equal("Pod", AdmissionReviewJson.Read(golden).Request!.Kind.Kind);
    }
}
