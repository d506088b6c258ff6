using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Enforcement;

/// <summary>A theory that needs docker-registry (skipped outside CI when it is missing; a failure under CI=true).</summary>
public sealed class EnforcementTheoryAttribute : TheoryAttribute
{
    public EnforcementTheoryAttribute()
    {
        if (!DistributionRegistry.IsAvailable && !TestPaths.IsCi)
        {
            Skip = "docker-registry is not installed (apt-get install docker-registry apache2-utils); under CI=true this is a failure";
        }
    }
}

/// <summary>
/// Issue 13's enforcement tamper suite, the twin of Core's (tests/SupplyChain.Core.Tests/Tamper): every attack of
/// <see cref="EnforcementCases"/> against every <see cref="Surface"/>, each denied with its code. README.md beside this
/// file lists the cases.
/// </summary>
public sealed class EnforcementSuiteTests : IClassFixture<EnforcementWorld>
{
    private readonly EnforcementWorld _world;

    public EnforcementSuiteTests(EnforcementWorld world) => _world = world;

    public static TheoryData<string, Surface> Cases()
    {
        var data = new TheoryData<string, Surface>();
        foreach (EnforcementCase @case in EnforcementCases.All)
        {
            foreach (Surface surface in Enum.GetValues<Surface>())
            {
                data.Add(@case.Name, surface);
            }
        }

        return data;
    }

    [EnforcementTheory]
    [MemberData(nameof(Cases))]
    public async Task The_attack_is_denied_with_its_code(string name, Surface surface)
    {
        EnforcementCase @case = EnforcementCases.All.Single(c => c.Name == name);
        CaseSetup setup = await _world.SetupAsync(@case);
        string folder = Directory.CreateTempSubdirectory("sc-enforce-case-").FullName;
        try
        {
            SurfaceAnswer answer = await Surfaces.JudgeAsync(surface, _world, setup, folder);

            Assert.False(answer.Allowed, $"{name} was allowed by the {surface}: {answer.Detail}");
            Assert.True(answer.Code == @case.Expected(surface), $"{name} on the {surface}: expected {@case.Expected(surface)}, got {answer.Code}: {answer.Detail}");
            Assert.True(@case.Mentions is null || answer.Detail.Contains(@case.Mentions, StringComparison.Ordinal), $"{name} on the {surface} does not name {@case.Mentions}: {answer.Detail}");
            setup.After?.Invoke(_world);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_case_has_a_unique_name_and_the_readme_lists_it_with_its_code()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "tests", "SupplyChain.Cli.Tests", "Enforcement", "README.md"));
        Assert.Equal(EnforcementCases.All.Count, EnforcementCases.All.Select(c => c.Name).Distinct().Count());
        foreach (EnforcementCase @case in EnforcementCases.All)
        {
            Assert.Contains($"`{@case.Name}`", readme, StringComparison.Ordinal);
            Assert.Contains($"`{@case.Code}`", readme, StringComparison.Ordinal);
        }
    }
}
