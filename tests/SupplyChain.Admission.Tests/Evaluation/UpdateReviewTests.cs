using System.Text.Json;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;

namespace SupplyChain.Admission.Tests.Evaluation;

/// <summary>
/// UPDATE (docs/admission.md, "How images are found"): only the references the update brings in are evaluated; the
/// ones the old object already named are <see cref="ImageDecision.Unchanged"/>, so a scale or metadata change never
/// waits on the registry; an unreadable old object makes every image evaluated (fail closed).
/// </summary>
public sealed class UpdateReviewTests : IDisposable
{
    private const string Web = "registry.example/apps/web:1.0";
    private const string Unsigned = "registry.example/apps/unsigned:1.0";
    private readonly AdmissionWorld _world = new();

    public void Dispose() => _world.Dispose();

    private static AdmissionRequest Update(string[] newImages, string oldObjectJson)
    {
        AdmissionRequest request = AdmissionWorld.Pod(newImages);
        request.Operation = "UPDATE";
        request.OldObject = JsonDocument.Parse(oldObjectJson).RootElement.Clone();
        return request;
    }

    private static string PodJson(params string[] images) =>
        "{\"spec\":{\"containers\":[" + string.Join(",", images.Select((i, n) => $"{{\"name\":\"c{n}\",\"image\":\"{i}\"}}")) + "]}}";

    [Fact]
    public async Task An_update_that_keeps_an_unsigned_image_is_allowed_without_touching_the_registry()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(Update([Unsigned], PodJson(Unsigned)));

        Assert.True(outcome.Response.Allowed);
        Assert.Null(outcome.Response.Warnings);
        ImageOutcome image = Assert.Single(outcome.Images);
        Assert.Equal((ImageDecision.Unchanged, (string?)null, (VerdictSource?)null), (image.Decision, image.ErrorCode, image.Source));
        Assert.Empty(_world.Registry.Calls);
    }

    [Fact]
    public async Task An_update_that_brings_in_an_unsigned_image_is_denied_and_only_that_image_is_evaluated()
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(Update([Web, Unsigned], PodJson(Web)));

        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC5102: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains(Unsigned, outcome.Response.Status.Message, StringComparison.Ordinal);
        Assert.Equal([ImageDecision.Unchanged, ImageDecision.Denied], outcome.Images.Select(i => i.Decision));
        Assert.Equal("SC5102", outcome.Images[1].ErrorCode);
    }

    [Fact]
    public async Task The_same_image_moved_to_another_container_counts_as_unchanged()
    {
        AdmissionRequest request = Update([Unsigned], "{\"spec\":{\"initContainers\":[{\"name\":\"i\",\"image\":\"" + Unsigned + "\"}],\"containers\":[{\"name\":\"c\",\"image\":\"registry.example/apps/web:1.0\"}]}}");

        AdmissionOutcome outcome = await _world.ReviewAsync(request);

        Assert.True(outcome.Response.Allowed);
        Assert.Equal(ImageDecision.Unchanged, Assert.Single(outcome.Images).Decision);
    }

    [Theory]
    [InlineData("{\"spec\":{\"containers\":\"not a list\"}}")]
    [InlineData("{\"spec\":{\"containers\":[{\"name\":\"c\"}]}}")]
    [InlineData("{}")]
    public async Task An_unreadable_old_object_makes_every_image_evaluated(string oldObject)
    {
        AdmissionOutcome outcome = await _world.ReviewAsync(Update([Unsigned], oldObject));

        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC5102: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Equal(ImageDecision.Denied, Assert.Single(outcome.Images).Decision);
    }

    [Fact]
    public async Task A_create_with_an_old_object_is_still_evaluated_in_full()
    {
        AdmissionRequest request = Update([Unsigned], PodJson(Unsigned));
        request.Operation = "CREATE";

        AdmissionOutcome outcome = await _world.ReviewAsync(request);

        Assert.False(outcome.Response.Allowed);
        Assert.StartsWith("SC5102: ", outcome.Response.Status!.Message, StringComparison.Ordinal);
    }
}
