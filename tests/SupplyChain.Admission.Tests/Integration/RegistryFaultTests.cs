using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// Fault injection between the webhook and the registry (issue 7, "Tests"): a <see cref="FaultInjectingProxy"/> makes
/// the registry slow (past the deadline), answer 500, reset connections mid-response, or serve a valid manifest of
/// another image for a requested digest. Each review is posted with <c>?timeout=2s</c> by a client that gives up after
/// 15 s: the answer must arrive (never a hang), deny with the fault's code (never an allow), and a rule with
/// <c>onRegistryError: allow</c> admits with a warning, except for content not matching its digest, which always denies.
/// Every image is pushed fresh, so neither verdict cache nor content cache hides the fault; the proxy's counter shows
/// the fault was met. No timing is asserted beyond "answered before the client gave up".
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class RegistryFaultTests(WebhookFixture fixture)
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The evaluator's per-image deadline (SC7103) or the server's (SC7204): either is "out of time".</summary>
    private static readonly string[] DeadlineCodes = ["SC7103", "SC7204"];

    public static TheoryData<RegistryFault, string[]> Faults => new()
    {
        { RegistryFault.Slow, DeadlineCodes },
        { RegistryFault.ServerError, ["SC4003"] },
        { RegistryFault.ConnectionReset, ["SC4002"] },
        { RegistryFault.DigestLie, ["SC4006", "SC4609"] },
    };

    [RegistryTheory]
    [MemberData(nameof(Faults))]
    public async Task A_registry_fault_denies_with_its_code_before_the_deadline(RegistryFault fault, string[] codes)
    {
        await fixture.StartAsync();
        WebhookReply reply = await PostUnderFaultAsync("faults", fault);

        Assert.False(reply.Allowed, reply.Body);
        Assert.Contains(reply.Code, codes);
        Assert.Empty(reply.Warnings);
    }

    [RegistryTheory]
    [MemberData(nameof(Faults))]
    public async Task With_onRegistryError_allow_registry_faults_admit_with_a_warning_but_a_digest_lie_still_denies(RegistryFault fault, string[] codes)
    {
        await fixture.StartAsync();
        WebhookReply reply = await PostUnderFaultAsync("lenient", fault);

        if (fault == RegistryFault.DigestLie)
        {
            Assert.False(reply.Allowed, reply.Body);
            Assert.Contains(reply.Code, codes);
            return;
        }

        Assert.True(reply.Allowed, reply.Body);
        string warning = Assert.Single(reply.Warnings);
        Assert.Contains(codes, code => warning.Contains(code, StringComparison.Ordinal));
    }

    [RegistryFact(needsImageTools: true)]
    public async Task Once_the_fault_is_gone_the_same_kind_of_image_is_admitted()
    {
        await fixture.StartAsync();
        PushedImage image = await fixture.PushThroughProxyAsync("faults/healthy-" + Guid.NewGuid().ToString("N")[..8]);
        fixture.Proxy.Fault = RegistryFault.None;

        WebhookReply reply = await fixture.PostAsync(Reviews.Pod(fixture.NewUid(), image.Reference.WithDigest(image.Descriptor.Digest).ToString()), "2s", ClientTimeout);

        Assert.True(reply.Allowed, reply.Body);
    }

    private async Task<WebhookReply> PostUnderFaultAsync(string area, RegistryFault fault)
    {
        PushedImage image = await fixture.PushThroughProxyAsync($"{area}/f{Guid.NewGuid():N}");
        string reference = image.Reference.WithDigest(image.Descriptor.Digest).ToString();
        if (fault == RegistryFault.DigestLie)
        {
            // A valid manifest, of another image: what a compromised or confused registry could serve.
            PushedImage other = await fixture.PushThroughProxyAsync($"{area}/other{Guid.NewGuid():N}");
            fixture.Proxy.LieWith(other.Descriptor.MediaType, other.Manifest);
        }

        int faultedBefore = fixture.Proxy.Faulted;
        fixture.Proxy.Fault = fault;
        try
        {
            string uid = fixture.NewUid();
            WebhookReply reply = await fixture.PostAsync(Reviews.Pod(uid, reference), "2s", ClientTimeout);
            Assert.Equal(uid, reply.Uid);
            Assert.True(fixture.Proxy.Faulted > faultedBefore, "the fault was never met: " + reply.Body);
            return reply;
        }
        finally
        {
            fixture.Proxy.Fault = RegistryFault.None;
        }
    }
}
