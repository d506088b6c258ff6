using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Signing.Tests.Interop;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Interop with an independent client of signatures on images: sigstore-js signs (against the Sigstore project's
/// @sigstore/mock Fulcio, Rekor v1 and TSA on 127.0.0.1) and @sigstore/oci attaches the bundle to the image the way
/// GitHub's actions/attest does, on Debian's docker-registry (distribution 2.8: no referrers API, so @sigstore/oci writes
/// the referrers tag-schema index). signcli must list and verify what it attached, refuse it for another image, and
/// share the tag-schema index with it without losing either client's entries. (Skopeo is not the peer: Debian's
/// skopeo 1.9.3 has sigstore disabled; docs/interop.md.)
/// </summary>
public sealed class SigstoreOciInteropTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Subject = "https://github.com/acme/widget/.github/workflows/release.yml@refs/heads/main";
    private const string Issuer = "https://token.actions.githubusercontent.com";
    private const string SlsaProvenance1 = "https://slsa.dev/provenance/v1";

    private readonly RegistryFixture _fixture;
    private readonly MockSigstoreServer _mock = MockSigstoreServer.Start();
    private readonly OciRegistryClient _client = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-sigstore-oci-").FullName;
    private readonly string _root;
    private readonly string _token = MockIdentityToken.Create(Issuer, Subject);

    public SigstoreOciInteropTests(RegistryFixture fixture)
    {
        _fixture = fixture;
        _root = Path.Combine(_dir, "trusted_root.json");
        File.WriteAllText(_root, _mock.TrustedRootJson);
    }

    public void Dispose()
    {
        _client.Dispose();
        _mock.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Host => _fixture.Registry.Host;

    [SigstoreOciFact]
    public async Task An_actions_attest_style_attestation_is_listed_by_tree_and_verifies_only_for_its_signer()
    {
        PushedImage image = await PushAsync("sigstore-oci/attested", "v1");
        string name = Name(image);

        JsonObject referrer = Attach("dsse", image);
        string referrerDigest = (string)referrer["digest"]!;
        Assert.Equal(OciMediaTypes.ImageManifest, (string?)referrer["mediaType"]);

        // What @sigstore/oci wrote into the sha256-<hex> index, as the referrers listing returns it.
        OciDescriptor listed = Assert.Single(await _client.ListReferrersAsync(image.Reference, null));
        Assert.Equal(referrerDigest, listed.Digest);
        Assert.Equal(OciMediaTypes.SigstoreBundle, listed.ArtifactType);
        Assert.Equal("dsse-envelope", listed.Annotations![OciMediaTypes.BundleContentAnnotation]);
        Assert.Equal(SlsaProvenance1, listed.Annotations![OciMediaTypes.BundlePredicateTypeAnnotation]);

        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains("Attestations", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains($"referrer {referrerDigest} ({OciMediaTypes.SigstoreBundle}, {SlsaProvenance1})", tree.Stdout, StringComparison.Ordinal);

        CliRun verify = VerifyAttestation(name, Subject);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"Verified OK: {Host}/sigstore-oci/attested@{image.Descriptor.Digest}", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"OCI referrer {referrerDigest}", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"identity:   {Subject}", verify.Stderr, StringComparison.Ordinal);

        CliRun wrong = VerifyAttestation(name, "https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main");
        CliRunner.AssertFails(wrong, 1, "SC4402");
    }

    [SigstoreOciFact]
    public async Task A_referrer_of_image_A_copied_into_image_B_tag_schema_index_is_refused_for_B()
    {
        PushedImage a = await PushAsync("sigstore-oci/copied", "a");
        PushedImage b = await PushAsync("sigstore-oci/copied", "b");
        Attach("dsse", a);
        Assert.Equal(0, VerifyAttestation(Name(a), Subject).ExitCode);

        // The same index (A's referrer, whose manifest's subject is A) under B's tag-schema tag.
        FetchedManifest index = (await _client.TryGetManifestAsync(a.Reference.WithTag(ReferrersTag(a))))!;
        await _client.PushManifestAsync(b.Reference, OciMediaTypes.ImageIndex, index.Content, ReferrersTag(b));

        CliRun verify = VerifyAttestation(Name(b), Subject);
        CliRunner.AssertFails(verify, 1, "SC4402");
        Assert.Contains("SC4403", verify.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task A_statement_about_image_A_attached_to_image_B_is_refused_for_B()
    {
        PushedImage a = await PushAsync("sigstore-oci/subject", "a");
        PushedImage b = await PushAsync("sigstore-oci/subject", "b");

        // The referrer manifest's subject is B (so the listing finds it); the signed statement names A.
        Attach("dsse", b, statementDigest: a.Descriptor.Digest);

        CliRun verify = VerifyAttestation(Name(b), Subject);
        CliRunner.AssertFails(verify, 1, "SC4402");
        Assert.Contains("SC4403", verify.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task Sigstore_oci_and_signcli_attest_share_the_tag_schema_index_without_losing_entries()
    {
        PushedImage image = await PushAsync("sigstore-oci/shared", "v1");
        string name = Name(image);
        string predicate = Path.Combine(_dir, "sbom.json");
        File.WriteAllText(predicate, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}");

        // sigstore-js first, signcli second (it must keep the entry @sigstore/oci wrote), sigstore-js again (it must
        // keep the entry signcli wrote).
        string first = (string)Attach("dsse", image)["digest"]!;
        CliRun attest = Run(
            "attest", name, "--predicate", predicate, "--type", "cyclonedx", "--identity-token", _token, "--trusted-root", _root, "--rekor-version", "2",
            "--fulcio-url", _mock.BaseUrl.ToString(), "--rekor-url", _mock.BaseUrl.ToString(), "--timestamp-server-url", new Uri(_mock.BaseUrl, "api/v1/timestamp").ToString());
        Assert.True(attest.ExitCode == 0, attest.ToString());
        string third = (string)Attach("dsse", image)["digest"]!;

        IReadOnlyList<OciDescriptor> referrers = await _client.ListReferrersAsync(image.Reference, null);
        Assert.Equal(3, referrers.Count);
        string second = Assert.Single(referrers, r => r.Digest != first && r.Digest != third).Digest;
        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());

        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        foreach (string digest in new[] { first, second, third })
        {
            Assert.Contains($"referrer {digest} ", tree.Stdout, StringComparison.Ordinal);
        }

        CliRun slsa = VerifyAttestation(name, Subject);
        Assert.True(slsa.ExitCode == 0, slsa.ToString());
        CliRun cyclonedx = Run("verify-attestation", name, "--type", "cyclonedx", "--certificate-identity", Subject, "--certificate-oidc-issuer", Issuer, "--trusted-root", _root);
        Assert.True(cyclonedx.ExitCode == 0, cyclonedx.ToString());
        Assert.Contains($"OCI referrer {second}", cyclonedx.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task A_sigstore_js_message_signature_over_the_manifest_is_listed_but_not_accepted_as_an_image_signature()
    {
        PushedImage image = await PushAsync("sigstore-oci/message", "v1");
        string name = Name(image);
        string referrer = (string)Attach("message", image)["digest"]!;

        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.True(tree.Stdout.Contains("Signatures", StringComparison.Ordinal), tree.ToString());
        Assert.Contains("Signatures", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains($"referrer {referrer} ({OciMediaTypes.SigstoreBundle})", tree.Stdout, StringComparison.Ordinal);

        // Image signatures are DSSE statements about the digest (cosign 3); a message signature is found, then refused.
        CliRun verify = Run("verify", name, "--certificate-identity", Subject, "--certificate-oidc-issuer", Issuer, "--trusted-root", _root);
        CliRunner.AssertFails(verify, 1, "SC4402");
        Assert.Contains("SC4413", verify.Stderr, StringComparison.Ordinal);
    }

    private async Task<PushedImage> PushAsync(string repository, string tag) =>
        await TestImages.PushImageAsync(_client, ImageReference.Parse($"{Host}/{repository}"), tag);

    /// <summary>The referrers tag-schema tag of an image: <c>sha256-&lt;hex&gt;</c> (distribution-spec, "Referrers Tag Schema").</summary>
    private static string ReferrersTag(PushedImage image) => image.Descriptor.Digest.Replace(':', '-');

    private static string Name(PushedImage image) => $"{image.Reference.Registry}/{image.Reference.Repository}@{image.Descriptor.Digest}";

    /// <summary>Runs attest-image.mjs: sigstore-js signs, @sigstore/oci attaches; returns the referrer's descriptor.</summary>
    private JsonObject Attach(string mode, PushedImage image, string? statementDigest = null)
    {
        List<string> args = [mode, Host, image.Reference.Repository, image.Descriptor.Digest, _mock.BaseUrl.ToString(), _token];
        if (statementDigest is not null)
        {
            args.Add(statementDigest);
        }

        (int exit, string output) = NodeInterop.RunSigstoreOci("attest-image.mjs", [.. args]);
        Assert.True(exit == 0, "attest-image.mjs: " + output);
        Assert.DoesNotContain(_token, output, StringComparison.Ordinal);
        string json = output.Split('\n').Last(l => l.StartsWith('{'));
        return JsonNode.Parse(json)!.AsObject();
    }

    private CliRun VerifyAttestation(string image, string identity) =>
        Run("verify-attestation", image, "--type", "slsaprovenance1", "--certificate-identity", identity, "--certificate-oidc-issuer", Issuer, "--trusted-root", _root);

    private static CliRun Run(params string[] args) => CliRunner.Run(args);
}
