using System.Net;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>Issue 13.3: what a registry says in its error body is printed only with <c>--debug</c>, never in the error line.</summary>
public sealed class RemoteDetailTests
{
    private const string Distinctive = "DISTINCTIVE-91c2 proxy at 10.9.8.7";

    [Fact]
    public void The_registry_error_text_is_diagnostic_output_only()
    {
        var stub = new StubRegistryHandler(_ => StubRegistryHandler.Json(HttpStatusCode.BadRequest, "{\"errors\":[{\"code\":\"NAME_INVALID\",\"message\":\"" + Distinctive + "\"}]}"));

        CliRun plain = Run(stub, "resolve", "registry.example/team/app:v1");
        CliRun debug = Run(stub, "resolve", "registry.example/team/app:v1", "--debug");

        CliRunner.AssertFails(plain, ExitCodes.ServiceFailure, "SC4003");
        Assert.Contains("HTTP 400", plain.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCTIVE", plain.Stderr + plain.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, debug.ExitCode);
        Assert.Contains("remote detail: NAME_INVALID: " + Distinctive, debug.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("DISTINCTIVE", debug.Stderr.Split('\n')[0], StringComparison.Ordinal);
    }

    private static CliRun Run(StubRegistryHandler stub, params string[] args) =>
        CliRunner.RunWith(new TestEnvironment(), null, options => new OciRegistryClient(options with { HttpMessageHandler = stub, Retry = RegistryRetryPolicy.None }), args);
}
