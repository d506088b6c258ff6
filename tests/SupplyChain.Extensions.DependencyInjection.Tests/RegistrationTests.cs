using System.Net;
using System.Net.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;
using SupplyChain.Testing.Virtual;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Extensions.DependencyInjection.Tests;

/// <summary>The registrations in a real generic host: options validated at start, the trusted root refreshed by the hosted service, the named HTTP clients used.</summary>
public sealed class RegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-di-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IHost Host(Action<IServiceCollection> configure)
    {
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        configure(builder.Services);
        return builder.Build();
    }

    [Fact]
    public async Task A_mounted_trusted_root_is_loaded_by_the_hosted_service_and_verifies_bundles()
    {
        using var sigstore = VirtualSigstore.Create();
        string path = Path.Combine(_dir, "trusted_root.json");
        await File.WriteAllBytesAsync(path, sigstore.TrustedRootBytes);
        using IHost host = Host(services => services.AddSigstoreTrustedRoot(o => o.TrustedRootPath = path).AddSigstoreVerifier());
        await host.StartAsync();
        try
        {
            SigstoreVerifierProvider verifiers = host.Services.GetRequiredService<SigstoreVerifierProvider>();
            for (int i = 0; i < 100 && verifiers.TrustedRootVersion is null; i++)
            {
                await Task.Delay(20);
            }

            Assert.Equal(TrustedRootSnapshot.VersionOf(sigstore.TrustedRootBytes), verifiers.TrustedRootVersion);
            byte[] artifact = "hello"u8.ToArray();
            SigstoreBundle bundle = SigstoreBundle.Parse(sigstore.SignMessage(artifact));
            VerificationPolicy policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(SigningOptions.DefaultIdentity, SigningOptions.DefaultIssuer));
            Assert.NotNull(verifiers.GetVerifier().Verify(bundle, Artifact.FromBytes(artifact), policy));
            Assert.Same(verifiers.GetVerifier(), verifiers.GetVerifier());
            Assert.ThrowsAny<SupplyChainException>(() => verifiers.GetVerifier().Verify(bundle, Artifact.FromBytes("tampered"u8.ToArray()), policy));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void A_verifier_before_any_trusted_root_fails_closed_SC3073()
    {
        using IHost host = Host(services => services.AddSigstoreTrustedRoot(o => o.TrustedRootPath = Path.Combine(_dir, "missing.json")).AddSigstoreVerifier());
        var error = Assert.ThrowsAny<SupplyChainException>(() => host.Services.GetRequiredService<SigstoreVerifierProvider>().GetVerifier());
        Assert.Equal("SC3073", error.Code);
    }

    [Theory]
    [InlineData("https://tuf.example/", null, false)]
    [InlineData("https://tuf-repo-cdn.sigstore.dev/", null, true)]
    public async Task Invalid_options_stop_the_host_at_start_SC3072(string repository, string? file, bool offline)
    {
        using IHost host = Host(services => services.AddSigstoreTrustedRoot(o =>
        {
            o.TufRepositoryUrl = new Uri(repository);
            o.TrustedRootPath = file;
            o.Offline = offline;
            o.RefreshInterval = offline ? TimeSpan.Zero : o.RefreshInterval;
        }));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("SC3072", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offline_serves_the_embedded_root_and_the_clients_resolve_over_the_named_http_clients()
    {
        var seen = new List<string>();
        using IHost host = Host(services =>
        {
            services.AddSigstoreTrustedRoot(o => o.Offline = true).AddSigstoreVerifier().AddOciRegistryClient(o => o with { Retry = SupplyChain.Http.HttpRetryPolicy.None }).AddSigstoreSigner();
            services.AddSingleton(seen);
            services.AddTransient<RecordingHandler>();
            services.AddHttpClient(SupplyChainHttpClients.Oci).AddHttpMessageHandler<RecordingHandler>();
        });
        await host.StartAsync();
        try
        {
            Assert.NotNull(host.Services.GetRequiredService<SigstoreVerifierProvider>().GetVerifier());
            Assert.IsType<IdentityTokenChain>(host.Services.GetRequiredService<IIdentityTokenProvider>());
            Assert.NotNull(host.Services.GetRequiredService<BundleSigner>());

            // The registry client sends through the named client's handlers: a request to a closed loopback port is seen.
            IOciRegistry registry = host.Services.GetRequiredService<IOciRegistry>();
            await Assert.ThrowsAnyAsync<Exception>(() => registry.ResolveAsync(ImageReference.Parse("127.0.0.1:9/none/none:latest")));
            Assert.Contains(seen, s => s.StartsWith("http://127.0.0.1:9/v2/", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private sealed class RecordingHandler(List<string> seen) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (seen)
            {
                seen.Add(request.RequestUri!.AbsoluteUri);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
