using SupplyChain.Testing;
using SupplyChain.Testing.Architecture;

namespace SupplyChain.Admission.Tests.Architecture;

/// <summary>
/// HELPERS.md "Honest tests: every test asserts something that can fail", kept by a scan of every test source of the
/// repository (tests/, all projects): no test method without an assertion, no assertion that holds whatever the code
/// does. The scanner is tested first on sources that must and must not be reported.
/// </summary>
public class TestHonestyTests
{
    private static string TestsFolder => Path.Combine(TestPaths.RepositoryRoot, "tests");

    [Fact]
    public void Every_test_in_the_repository_asserts_something()
    {
        IReadOnlyList<TestHonestyScan.Finding> findings = TestHonestyScan.TestsWithoutAssertions(TestsFolder);
        Assert.True(findings.Count == 0, "tests that assert nothing (name a helper that asserts Assert... or Expect...):\n" + string.Join("\n", findings));
    }

    [Fact]
    public void No_assertion_in_the_repository_is_vacuous()
    {
        IReadOnlyList<TestHonestyScan.Finding> findings = TestHonestyScan.VacuousAssertions(TestsFolder);
        Assert.True(findings.Count == 0, "assertions that cannot fail:\n" + string.Join("\n", findings));
    }

    [Fact]
    public void Failure_codes_are_asserted_through_the_one_shared_ErrorAssert()
    {
        IReadOnlyList<TestHonestyScan.Finding> findings = TestHonestyScan.AssertCodeCopies(TestsFolder);
        Assert.True(findings.Count == 0, "private copies of ErrorAssert.AssertCode:\n" + string.Join("\n", findings));
    }

    [Theory]
    [InlineData("private static string Code(string json) => Assert.ThrowsAny<SupplyChainException>(() => Read(json)).Code;", true)]
    [InlineData("private static string Fails(Action a) =>\n    Assert.IsAssignableFrom<SupplyChainException>(Record.Exception(a)).Error.Code;", true)]
    [InlineData("private static async Task<string> FailsAsync(Func<Task> a) => (await Assert.ThrowsAnyAsync<SupplyChainException>(a)).Code;", true)]
    [InlineData("private static void AssertFails(string code, string json) => ErrorAssert.AssertCode(code, () => Read(json));", false)]
    [InlineData("private static string Read(string json) => Parse(json).Name;", false)]
    public void The_scanner_reports_a_private_copy_of_AssertCode(string source, bool copy)
    {
        Assert.Equal(copy, TestHonestyScan.FindAssertCodeCopies(source).Any());
    }

    [Fact]
    public void The_scan_reads_every_test_project()
    {
        // A scan that silently found no tests would pass; it must see the test methods of every project.
        string[] projects = Directory.GetDirectories(TestsFolder, "SupplyChain.*.Tests").Select(Path.GetFileName).ToArray()!;
        Assert.True(projects.Length >= 10, string.Join(", ", projects));
        foreach (string project in projects)
        {
            int tests = Directory.EnumerateFiles(Path.Combine(TestsFolder, project), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
                .Sum(f => File.ReadAllText(f).Split("[Fact", StringSplitOptions.None).Length - 1 + File.ReadAllText(f).Split("[Theory", StringSplitOptions.None).Length - 1);
            Assert.True(tests > 0, $"{project} has no test the scan can read");
        }
    }

    [Fact]
    public void The_scanner_reports_a_test_without_an_assertion_and_passes_ones_with_one()
    {
        const string Source = """"
            public class Sample
            {
                [Fact]
                public void Only_runs() { var x = Compute("Assert.True(x)"); // Assert.Equal(1, x)
                }

                [Theory]
                [InlineData("a")]
                public async Task Expression_bodied(string a) => await RunAsync(a, "{ Assert }");

                [Fact]
                public void Asserts() { Assert.Equal(2, 1 + 1); }

                [SharedFixtureFact]
                public Task Helper_named_for_its_check() => AssertAttackFailsAsync(Code, () => { });

                [Fact]
                public void Kit_helper() => ErrorAssert.AssertCode("SC1000", () => Parse("{"));

                [Fact]
                public void Raw_string_with_braces()
                {
                    string json = $$"""{"a": {{1}}}""";
                    Assert.NotEmpty(json);
                }

                private static void Helper() { }
            }
            """";

        var findings = TestHonestyScan.FindTestsWithoutAssertions(Source).Select(f => f.What).ToList();

        Assert.Equal(["Only_runs asserts nothing", "Expression_bodied asserts nothing"], findings);
    }

    [Theory]
    [InlineData("Assert.True(true);", true)]
    [InlineData("Assert.True(true, \"always\");", true)]
    [InlineData("Assert.False(false);", true)]
    [InlineData("Assert.True(list.Count >= 0);", true)]
    [InlineData("Assert.True(bytes.Length >= 0, \"n\");", true)]
    [InlineData("Assert.Equal(result.Code, result.Code);", true)]
    [InlineData("Assert.NotNull(run.ExitCode);", true)]
    [InlineData("Assert.True(index >= 0, \"not found\");", false)]
    [InlineData("Assert.True(list.Count >= 1);", false)]
    [InlineData("Assert.Equal(expected.Code, actual.Code);", false)]
    [InlineData("Assert.True(ok);", false)]
    [InlineData("Log(\"Assert.True(true)\");", false)]
    public void The_scanner_reports_assertions_that_cannot_fail(string statement, bool vacuous)
    {
        Assert.Equal(vacuous, TestHonestyScan.FindVacuousAssertions(statement).Any());
    }
}
