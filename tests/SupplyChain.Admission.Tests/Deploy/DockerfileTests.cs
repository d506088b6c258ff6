using System.Text.RegularExpressions;
using System.Xml.Linq;
using SupplyChain.Testing;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// admission/Dockerfile cannot be built here (no docker daemon); these check that what it copies exists, that it copies
/// every project the webhook references, and that its user, port and entry point agree with the project and the Deployment.
/// </summary>
public partial class DockerfileTests
{
    private static readonly string DockerfilePath = Path.Combine(TestPaths.RepositoryRoot, "admission", "Dockerfile");

    private static readonly string AdmissionProject = Path.Combine(TestPaths.RepositoryRoot, "admission", "SupplyChain.Admission", "SupplyChain.Admission.csproj");

    private static IReadOnlyList<(string Instruction, string Arguments)> Instructions { get; } = ReadInstructions();

    [Fact]
    public void Every_copied_path_exists_in_the_repository()
    {
        var copies = Instructions.Where(i => i.Instruction == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach ((_, string args) in copies)
        {
            string[] parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(parts[..^1], source => Assert.True(
                File.Exists(Path.Combine(TestPaths.RepositoryRoot, source)) || Directory.Exists(Path.Combine(TestPaths.RepositoryRoot, source)),
                $"COPY {source}: not in the repository"));
        }
    }

    [Fact]
    public void It_copies_the_webhook_and_every_project_it_references_and_publishes_the_webhook()
    {
        string[] copied = [.. Instructions.Where(i => i.Instruction == "COPY").SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])];
        foreach (string project in ProjectClosure(AdmissionProject))
        {
            string relative = Path.GetRelativePath(TestPaths.RepositoryRoot, project).Replace('\\', '/');
            Assert.Contains(relative, copied);                                   // restore layer
            Assert.Contains(Path.GetDirectoryName(relative)!.Replace('\\', '/') + "/", copied); // sources
        }

        foreach (string buildFile in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
        {
            Assert.Contains(Instructions, i => i.Instruction == "COPY" && i.Arguments.Split(' ').Contains(buildFile));
        }

        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish admission/SupplyChain.Admission/SupplyChain.Admission.csproj -c Release", StringComparison.Ordinal));
    }

    [Fact]
    public void It_never_copies_the_signing_code()
    {
        Assert.DoesNotContain(Instructions, i => i.Instruction == "COPY" && i.Arguments.Contains("SupplyChain.Signing", StringComparison.Ordinal));
        Assert.DoesNotContain(Instructions, i => i.Instruction == "COPY" && i.Arguments.Split(' ')[0] is "." or "./");
    }

    [Fact]
    public void The_entry_point_is_the_native_webhook_executable_on_runtime_deps()
    {
        XDocument project = XDocument.Load(AdmissionProject);
        string assembly = project.Descendants("AssemblyName").Single().Value;
        Assert.Equal("true", project.Descendants("PublishAot").Single().Value);
        Assert.Equal($"[\"/app/{assembly}\"]", Assert.Single(Instructions, i => i.Instruction == "ENTRYPOINT").Arguments);
        Assert.Contains(Instructions, i => i.Instruction == "COPY" && i.Arguments == $"--from=build /app/{assembly} ./");
        Assert.Contains(Instructions, i => i.Instruction == "RUN" && i.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal) && i.Arguments.Contains(" -r linux-x64", StringComparison.Ordinal));
        var froms = Instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0-noble-aot ", froms[0], StringComparison.Ordinal); // clang and the linker
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:10.0", froms[^1], StringComparison.Ordinal);  // no .NET runtime needed
    }

    [Fact]
    public void User_and_port_match_the_deployment()
    {
        string user = Assert.Single(Instructions, i => i.Instruction == "USER").Arguments;
        Assert.Matches(NumericUser(), user); // numeric: the kubelet can only check runAsNonRoot against a numeric user
        Assert.NotEqual("0", user);
        Assert.Equal(user, DeployManifests.Deployment["spec"]["template"]["spec"]["securityContext"]["runAsUser"].Str);

        string port = Assert.Single(Instructions, i => i.Instruction == "EXPOSE").Arguments;
        Assert.Equal(port, Assert.Single(DeployManifests.Container(DeployManifests.Deployment)["ports"].Items)["containerPort"].Str);
    }

    [Fact]
    public void The_dockerignore_keeps_build_output_out_and_lets_the_sources_in()
    {
        string[] patterns = [.. File.ReadAllLines(Path.Combine(TestPaths.RepositoryRoot, ".dockerignore")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
        Assert.Contains("**/bin/", patterns);
        Assert.Contains("**/obj/", patterns);
        Assert.DoesNotContain(patterns, p => p.TrimEnd('/') is "src" or "admission" or "*" or "**" || p.StartsWith("src/", StringComparison.Ordinal) || p.StartsWith("admission/", StringComparison.Ordinal));
        Assert.DoesNotContain(patterns, p => p is "global.json" or "Directory.Build.props" or "Directory.Packages.props" or "*.json" or "*.props");
    }

    /// <summary>The project and every project it references, transitively.</summary>
    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out string? p))
        {
            if (seen.Add(p))
            {
                foreach (XElement reference in XDocument.Load(p).Descendants("ProjectReference"))
                {
                    pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(p)!, reference.Attribute("Include")!.Value)));
                }
            }
        }

        return seen;
    }

    /// <summary>The Dockerfile's instructions (comments dropped, continuation lines joined).</summary>
    private static List<(string, string)> ReadInstructions()
    {
        string text = File.ReadAllText(DockerfilePath).Replace("\\\n", " ", StringComparison.Ordinal);
        return [.. text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => { int sp = l.IndexOf(' ', StringComparison.Ordinal); return (l[..sp].ToUpperInvariant(), l[(sp + 1)..].Trim()); })];
    }

    [GeneratedRegex(@"\A[1-9][0-9]*\z", RegexOptions.None, 1000)]
    private static partial Regex NumericUser();
}
