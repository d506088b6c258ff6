using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry;
using SupplyChain.Testing.Oci;
using SupplyChain.Http;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// The proxy itself, with the registry client alone (no webhook): it passes pushes and pulls through unchanged, and each
/// fault reaches a client as that client's own error code, so the webhook tests meet real faults, not a broken proxy.
/// </summary>
public sealed class FaultInjectingProxyTests : IClassFixture<RegistryFixture>
{
    private static readonly OciRegistryClientOptions FewRetries = new() { Retry = HttpRetryPolicy.Default with { MaxAttempts = 2, InitialDelay = TimeSpan.FromMilliseconds(10) } };
    private readonly RegistryFixture _registry;

    public FaultInjectingProxyTests(RegistryFixture registry) => _registry = registry;

    [RegistryFact]
    public async Task It_forwards_pushes_and_pulls_and_each_fault_reaches_the_client_as_its_code()
    {
        await using FaultInjectingProxy proxy = await FaultInjectingProxy.StartAsync(_registry.Registry);
        using var client = new OciRegistryClient(FewRetries);
        ImageReference repository = ImageReference.Parse($"{proxy.Host}/proxy/p{Guid.NewGuid():N}");
        PushedImage image = await TestImages.PushImageAsync(client, repository, "v1");
        PushedImage other = await TestImages.PushImageAsync(client, repository, "v2");
        Assert.True(proxy.Forwarded > 0);
        Assert.Equal(0, proxy.Faulted);

        Assert.Equal(image.Descriptor.Digest, (await client.ResolveAsync(repository.WithTag("v1"))).Digest);

        proxy.Fault = RegistryFault.ServerError;
        Assert.Equal("SC4003", await CodeOf(c => c.ResolveAsync(repository.WithTag("v1"))));
        proxy.Fault = RegistryFault.ConnectionReset;
        Assert.Equal("SC4002", await CodeOf(c => c.TryGetManifestAsync(repository.WithDigest(image.Descriptor.Digest))));
        proxy.Fault = RegistryFault.DigestLie;
        proxy.LieWith(other.Descriptor.MediaType, other.Manifest);
        Assert.Equal("SC4006", await CodeOf(c => c.TryGetManifestAsync(repository.WithDigest(image.Descriptor.Digest))));
        proxy.Fault = RegistryFault.Slow;
        proxy.Delay = TimeSpan.FromSeconds(20);
        using (var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        using (var slow = new OciRegistryClient(FewRetries))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow.ResolveAsync(repository.WithTag("v1"), deadline.Token));
        }

        Assert.True(proxy.Faulted >= 4);
        proxy.Fault = RegistryFault.None;
        using var healthy = new OciRegistryClient(FewRetries);
        Assert.NotNull(await healthy.TryGetManifestAsync(repository.WithDigest(image.Descriptor.Digest)));
    }

    /// <summary>The code of the <see cref="SupplyChainException"/> <paramref name="action"/> throws with a fresh client (nothing cached).</summary>
    private static async Task<string> CodeOf(Func<OciRegistryClient, Task> action)
    {
        using var client = new OciRegistryClient(FewRetries);
        return (await Assert.ThrowsAnyAsync<SupplyChainException>(() => action(client))).Code;
    }
}
