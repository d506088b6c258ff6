using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Admission.Tests.Evaluation;
using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Tests.Golden;

/// <summary>
/// The golden AdmissionReview pairs of testdata/admission (README.md there): each folder's request.json is read with
/// AdmissionReviewJson, reviewed by AdmissionEvaluator against the folder's policy.yaml (else the shared one) over the
/// in-process world, written back, and compared (JSON-normalised) with response.json. A <c>_fail</c> folder must be
/// denied with the code in its expected-code file (a malformed review: refused by the reader with that code).
/// <c>SUPPLYCHAIN_UPDATE_GOLDEN=1</c> rewrites the response.json files (review the diff before committing).
/// </summary>
public sealed class GoldenReviewTests : IClassFixture<AdmissionWorld>
{
    private static readonly string[] Kinds = ["pod", "pod_ephemeralcontainers", "deployment", "replicaset", "statefulset", "daemonset", "job", "cronjob", "replicationcontroller", "podtemplate"];
    private readonly AdmissionWorld _world;

    public GoldenReviewTests(AdmissionWorld world) => _world = world;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (string folder in CaseFolders())
        {
            data.Add(folder);
        }

        return data;
    }

    /// <summary>Every folder with a request.json.</summary>
    public static IEnumerable<string> CaseFolders() =>
        Directory.GetDirectories(AdmissionWorld.Folder).Where(d => File.Exists(Path.Combine(d, "request.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>Reviews one golden request as the webhook would (a generous deadline), returning the response review's JSON, or the reader's error.</summary>
    internal static async Task<(JsonNode? Response, SupplyChainException? Refused)> ReviewAsync(AdmissionWorld world, string folder)
    {
        string dir = Path.Combine(AdmissionWorld.Folder, folder);
        string policyPath = Path.Combine(dir, "policy.yaml");
        ImagePolicy policy = AdmissionWorld.GoldenPolicy(File.Exists(policyPath) ? policyPath : null);
        AdmissionReview review;
        try
        {
            review = AdmissionReviewJson.Read(await File.ReadAllBytesAsync(Path.Combine(dir, "request.json")));
        }
        catch (SupplyChainException ex)
        {
            return (null, ex);
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        AdmissionOutcome outcome = await new AdmissionEvaluator(new AdmissionEvaluatorOptions()).ReviewAsync(review.Request!, world.Snapshot(policy), deadline.Token);
        byte[] written = AdmissionReviewJson.Write(new AdmissionReview { ApiVersion = review.ApiVersion, Kind = review.Kind, Response = outcome.Response });
        return (JsonNode.Parse(written), null);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_response_matches_response_json_and_a_fail_case_is_denied_with_its_code(string folder)
    {
        string dir = Path.Combine(AdmissionWorld.Folder, folder);
        string codeFile = Path.Combine(dir, "expected-code");
        string? expectedCode = File.Exists(codeFile) ? File.ReadAllText(codeFile).Trim() : null;
        Assert.Equal(folder.EndsWith("_fail", StringComparison.Ordinal), expectedCode is not null);

        (JsonNode? response, SupplyChainException? refused) = await ReviewAsync(_world, folder);
        string responsePath = Path.Combine(dir, "response.json");
        if (refused is not null)
        {
            Assert.Equal(expectedCode, refused.Error.Code);
            Assert.False(File.Exists(responsePath), "a refused review has no response.json");
            return;
        }

        JsonNode actual = response!;
        if (Environment.GetEnvironmentVariable("SUPPLYCHAIN_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(responsePath, actual.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }

        JsonNode expected = JsonNode.Parse(await File.ReadAllTextAsync(responsePath))!;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"{folder}: expected {expected.ToJsonString()}\nactual {actual.ToJsonString()}");

        JsonNode inner = actual["response"]!;
        using JsonDocument request = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(dir, "request.json")));
        Assert.Equal(request.RootElement.GetProperty("request").GetProperty("uid").GetString(), inner["uid"]!.GetValue<string>());
        Assert.Null(inner["patch"]);
        Assert.Null(inner["patchType"]);
        if (expectedCode is null)
        {
            Assert.True(inner["allowed"]!.GetValue<bool>(), folder);
        }
        else
        {
            Assert.False(inner["allowed"]!.GetValue<bool>(), folder);
            Assert.Equal(403, inner["status"]!["code"]!.GetValue<int>());
            Assert.StartsWith(expectedCode + ": ", inner["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_kind_has_an_allowed_and_a_denied_case_and_the_readme_lists_every_case()
    {
        var folders = CaseFolders().ToHashSet(StringComparer.Ordinal);
        Assert.All(Kinds, k => Assert.Contains(k, folders));
        Assert.All(Kinds, k => Assert.Contains(k + "_fail", folders));
        Assert.Contains("ephemeralcontainers_legacy", folders);
        string readme = File.ReadAllText(Path.Combine(AdmissionWorld.Folder, "README.md"));
        Assert.All(folders, f => Assert.Contains($"`{f}`", readme, StringComparison.Ordinal));
    }
}
