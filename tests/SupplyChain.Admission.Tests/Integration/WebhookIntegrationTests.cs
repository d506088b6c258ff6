using System.Net;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Core.Trust;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Admission.Tests.Integration;

/// <summary>
/// The webhook over real TLS on 127.0.0.1 in front of Debian's docker-registry (issue 7, "Tests"): signed images are
/// admitted, unsigned and lineage-broken ones denied with the code of what failed, a tag is resolved to its digest,
/// and warn mode admits with a warning. Pod, Deployment and CronJob reviews, as the API server posts them.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookIntegrationTests(WebhookFixture fixture)
{
    [RegistryFact(needsImageTools: true)]
    public async Task A_signed_image_is_admitted_in_a_Pod_a_Deployment_and_a_CronJob()
    {
        await fixture.StartAsync();
        foreach (Func<string, string[], string> review in new Func<string, string[], string>[] { Reviews.Pod, Reviews.Deployment, Reviews.CronJob })
        {
            string uid = fixture.NewUid();
            WebhookReply reply = await fixture.PostAsync(review(uid, [Digested(fixture.SignedImage)]));

            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.True(reply.Allowed, reply.Body);
            Assert.Equal(uid, reply.Uid);
            Assert.False(reply.HasPatch, reply.Body);
            Assert.Empty(reply.Warnings);
        }
    }

    [RegistryFact(needsImageTools: true)]
    public async Task An_unsigned_image_is_denied_with_SC5102_naming_the_image_in_every_kind()
    {
        await fixture.StartAsync();
        foreach (Func<string, string[], string> review in new Func<string, string[], string>[] { Reviews.Pod, Reviews.Deployment, Reviews.CronJob })
        {
            string uid = fixture.NewUid();
            WebhookReply reply = await fixture.PostAsync(review(uid, [Digested(fixture.SignedImage), Digested(fixture.UnsignedImage)]));

            Assert.False(reply.Allowed, reply.Body);
            Assert.Equal(uid, reply.Uid);
            Assert.Equal("SC5102", reply.Code);
            Assert.Contains(UmociLineage.Digest(fixture.UnsignedImage), reply.Message, StringComparison.Ordinal);
        }
    }

    [RegistryFact(needsImageTools: true)]
    public async Task A_signed_three_level_lineage_is_admitted()
    {
        await fixture.StartAsync();

        WebhookReply reply = await fixture.PostAsync(Reviews.Deployment(fixture.NewUid(), Digested(fixture.Lineage.App)));

        Assert.True(reply.Allowed, reply.Body);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task A_forged_base_claim_is_denied_with_SC4603()
    {
        await fixture.StartAsync();

        WebhookReply reply = await fixture.PostAsync(Reviews.Pod(fixture.NewUid(), Digested(fixture.ForgedClaim)));

        Assert.False(reply.Allowed, reply.Body);
        Assert.Equal("SC4603", reply.Code);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task An_app_on_an_unsigned_base_is_denied_with_SC5102_naming_the_base()
    {
        await fixture.StartAsync();

        WebhookReply reply = await fixture.PostAsync(Reviews.CronJob(fixture.NewUid(), Digested(fixture.AppOnUnsignedBase)));

        Assert.False(reply.Allowed, reply.Body);
        Assert.Equal("SC5102", reply.Code);
        Assert.Contains(fixture.LineagePrefix + "/base", reply.Message, StringComparison.Ordinal);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task A_tag_is_resolved_and_the_verdict_is_for_its_digest()
    {
        await fixture.StartAsync();

        WebhookReply signed = await fixture.PostAsync(Reviews.Pod(fixture.NewUid(), UmociLineage.WithoutDigest(fixture.SignedImage)));
        WebhookReply unsigned = await fixture.PostAsync(Reviews.Pod(fixture.NewUid(), UmociLineage.WithoutDigest(fixture.UnsignedImage)));

        Assert.True(signed.Allowed, signed.Body);
        Assert.False(unsigned.Allowed, unsigned.Body);
        Assert.Equal("SC5102", unsigned.Code);
        Assert.Contains(UmociLineage.Digest(fixture.UnsignedImage), unsigned.Message, StringComparison.Ordinal);

        // The same evaluation in process: the outcome names the digest the tag resolved to.
        using var client = new OciRegistryClient();
        var snapshot = new AdmissionSnapshot(ImagePolicy.Load(fixture.PolicyPath), TrustedRoot.Parse(File.ReadAllBytes(fixture.TrustedRootPath)), "test", client);
        AdmissionReview review = AdmissionReviewJson.Read(System.Text.Encoding.UTF8.GetBytes(Reviews.Pod(fixture.NewUid(), UmociLineage.WithoutDigest(fixture.SignedImage))));
        AdmissionOutcome outcome = await new AdmissionEvaluator(new AdmissionEvaluatorOptions()).ReviewAsync(review.Request!, snapshot, CancellationToken.None);
        ImageOutcome image = Assert.Single(outcome.Images);
        Assert.Equal(UmociLineage.Digest(fixture.SignedImage), image.Digest);
        Assert.Equal(ImageDecision.Allowed, image.Decision);
    }

    [RegistryFact(needsImageTools: true)]
    public async Task Warn_mode_admits_an_unsigned_image_with_a_warning_carrying_the_code()
    {
        await fixture.StartAsync();

        WebhookReply reply = await fixture.PostAsync(Reviews.Deployment(fixture.NewUid(), Digested(fixture.WarnedImage)));

        Assert.True(reply.Allowed, reply.Body);
        string warning = Assert.Single(reply.Warnings);
        Assert.Contains("SC5102", warning, StringComparison.Ordinal);
        Assert.True(warning.Length <= 120, warning);
    }

    /// <summary><c>host/repo@sha256:...</c> from <c>host/repo:tag@sha256:...</c> (a reference by digest only, as most deployments pin).</summary>
    private static string Digested(string image)
    {
        ImageReference reference = ImageReference.Parse(image);
        return $"{reference.Registry}/{reference.Repository}@{reference.Digest}";
    }
}
