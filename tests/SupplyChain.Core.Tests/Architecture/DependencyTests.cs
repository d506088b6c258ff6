using System.Reflection;
using SupplyChain.Core.Bundles;

namespace SupplyChain.Core.Tests.Architecture;

/// <summary>DESIGN.md dependency arrows: Core is the offline model; it depends on the BCL and BouncyCastle only.</summary>
public class DependencyTests
{
    private static readonly Assembly Core = typeof(SigstoreBundle).Assembly;

    [Fact]
    public void Core_references_only_the_bcl_and_bouncycastle()
    {
        var allowed = new[] { "System.", "Microsoft.Win32.Primitives", "BouncyCastle.Crypto", "netstandard", "mscorlib" };
        var references = Core.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, r => Assert.True(allowed.Any(a => r.StartsWith(a, StringComparison.Ordinal) || r == a.TrimEnd('.')), $"SupplyChain.Core references {r}"));
        Assert.DoesNotContain(references, r => r.StartsWith("SupplyChain.", StringComparison.Ordinal));
    }

    /// <summary>
    /// Packages version separately, so no shipped package may see Core's internals (issue 17): only Core's own tests,
    /// the test kit, which mints test CAs and SCTs with Core's internal encoders, and the fuzz harness, which drives
    /// Core's internal parsers (DER, SCT, RFC 3161, entry bodies) directly (docs/fuzzing.md). None of them is shipped.
    /// </summary>
    [Fact]
    public void Only_tests_see_core_internals()
    {
        string[] friends = [.. Core.GetCustomAttributes<System.Runtime.CompilerServices.InternalsVisibleToAttribute>().Select(a => a.AssemblyName).Order(StringComparer.Ordinal)];
        Assert.Equal(["SupplyChain.Core.Tests", "SupplyChain.Fuzz", "SupplyChain.Testing"], friends);
    }

    [Theory]
    [InlineData("System.Net.Http")]
    [InlineData("System.Console")]
    public void Core_does_no_network_or_console_io(string assembly) =>
        Assert.DoesNotContain(Core.GetReferencedAssemblies(), a => a.Name == assembly);
}
