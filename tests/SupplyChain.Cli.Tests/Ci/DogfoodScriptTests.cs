using System.Diagnostics;
using SupplyChain.Core.Attestations;
using SupplyChain.Testing;

namespace SupplyChain.Cli.Tests.Ci;

/// <summary>
/// scripts/dogfood.sh: the project's packages get a CycloneDX SBOM from the CycloneDX dotnet tool and provenance, both
/// attested by signcli with the local instance and verified by signcli and sigstore-js (inside the script). Then a
/// package changed after attestation is refused.
/// </summary>
public sealed class DogfoodScriptTests
{
    [NodeInteropFact("sigstore-js")]
    public void The_dogfood_script_attests_and_verifies_every_package()
    {
        string output = Directory.CreateTempSubdirectory("sc-dogfood-").FullName;
        try
        {
            var start = new ProcessStartInfo("bash") { WorkingDirectory = TestPaths.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(TestPaths.RepositoryRoot, "scripts", "dogfood.sh"));
            start.ArgumentList.Add(output);
            foreach (string name in new[] { "GITHUB_ACTIONS", "GITLAB_CI", "BUILDKITE", "CIRCLECI" })
            {
                start.Environment.Remove(name);
            }

            using Process process = Process.Start(start)!;
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("dogfood.sh did not finish in 15 minutes");
            }

            Assert.True(process.ExitCode == 0, stdout.Result + stderr.Result);
            string[] packages = Directory.GetFiles(Path.Combine(output, "packages"), "*.nupkg");
            Assert.Contains(packages, p => Path.GetFileName(p).StartsWith("SupplyChain.Cli.", StringComparison.Ordinal));
            Assert.Contains($"dogfood: {packages.Length} packages attested (provenance and SBOM) and verified", stdout.Result, StringComparison.Ordinal);

            // The SBOM is the CycloneDX tool's, and a CycloneDX 1.6 document with the project's dependencies.
            SbomDocument sbom = SbomDocument.Parse(File.ReadAllBytes(Path.Combine(output, "sbom.cdx.json")), SbomFormat.CycloneDx);
            Assert.Equal("1.6", sbom.SpecVersion);
            Assert.True(sbom.ComponentCount > 5, $"{sbom.ComponentCount} components");

            // A package changed after it was attested matches no subject.
            string tampered = Path.Combine(output, "tampered.nupkg");
            File.Copy(packages[0], tampered);
            File.AppendAllText(tampered, "x");
            File.Move(tampered, Path.Combine(output, Path.GetFileName(packages[0]) + ".changed"));
            CliRunner.AssertFails(CliRunner.Run("verify-blob-attestation", Path.Combine(output, Path.GetFileName(packages[0]) + ".changed"), "--bundle", Path.Combine(output, "provenance.sigstore.json"),
                "--instance", Path.Combine(output, "instance"), "--certificate-identity", "local-user@supplychain.localhost", "--certificate-oidc-issuer", "https://oidc.supplychain.localhost"), 1, "SC1504");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
