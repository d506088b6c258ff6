using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Tests.Fakes;
using SupplyChain.Testing;
using SupplyChain.Testing.Oci;

namespace SupplyChain.Cli.Tests.Image;

/// <summary>
/// Interop with an independent client of signatures on images: sigstore-js signs (against the Sigstore project's
/// @sigstore/mock Fulcio, Rekor v1 and TSA on 127.0.0.1, started by the script; tests/interop/sigstore-oci) and
/// @sigstore/oci attaches the bundle to the image the way
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
    private const string KeyPassword = "correct horse";
    private const string BundleV02 = "application/vnd.dev.sigstore.bundle+json;version=0.2";

    private readonly RegistryFixture _fixture;
    private readonly OciRegistryClient _client = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-sigstore-oci-").FullName;
    private readonly string _token = MockIdentityToken.Create(Issuer, Subject);

    public SigstoreOciInteropTests(RegistryFixture fixture) => _fixture = fixture;

    public void Dispose()
    {
        _client.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Host => _fixture.Registry.Host;

    [SigstoreOciFact]
    public async Task An_actions_attest_style_attestation_is_listed_by_tree_and_verifies_only_for_its_signer()
    {
        PushedImage image = await PushAsync("sigstore-oci/attested", "v1");
        string name = Name(image);

        Attached attached = Attach("dsse", image);
        Assert.Equal(OciMediaTypes.ImageManifest, attached.MediaType);

        // What @sigstore/oci wrote into the sha256-<hex> index, as the referrers listing returns it.
        OciDescriptor listed = Assert.Single(await _client.ListReferrersAsync(image.Reference, null));
        Assert.Equal(attached.Digest, listed.Digest);
        Assert.Equal(SignatureMediaTypes.SigstoreBundle, listed.ArtifactType);
        Assert.Equal("dsse-envelope", listed.Annotations![SignatureMediaTypes.BundleContentAnnotation]);
        Assert.Equal(SlsaProvenance1, listed.Annotations![SignatureMediaTypes.BundlePredicateTypeAnnotation]);

        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains("Attestations", tree.Stdout, StringComparison.Ordinal);
        Assert.Contains($"referrer {attached.Digest} ({SignatureMediaTypes.SigstoreBundle}, {SlsaProvenance1})", tree.Stdout, StringComparison.Ordinal);

        CliRun verify = VerifyAttestation(name, Subject, attached.TrustedRoot);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains($"Verified OK: {Host}/sigstore-oci/attested@{image.Descriptor.Digest}", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"OCI referrer {attached.Digest}", verify.Stderr, StringComparison.Ordinal);
        Assert.Contains($"identity:   {Subject}", verify.Stderr, StringComparison.Ordinal);
        CliRun byTag = VerifyAttestation($"{Host}/sigstore-oci/attested:v1", Subject, attached.TrustedRoot);
        Assert.True(byTag.ExitCode == 0, byTag.ToString());

        CliRun wrong = VerifyAttestation(name, "https://github.com/acme/other/.github/workflows/release.yml@refs/heads/main", attached.TrustedRoot);
        CliRunner.AssertFails(wrong, 1, "SC4402");
    }

    [SigstoreOciFact]
    public async Task A_referrer_of_image_A_copied_into_image_B_tag_schema_index_is_refused_for_B()
    {
        PushedImage a = await PushAsync("sigstore-oci/copied", "a");
        PushedImage b = await PushAsync("sigstore-oci/copied", "b");
        Attached attached = Attach("dsse", a);
        Assert.Equal(0, VerifyAttestation(Name(a), Subject, attached.TrustedRoot).ExitCode);

        // The same index (A's referrer, whose manifest's subject is A) under B's tag-schema tag.
        FetchedManifest index = (await _client.TryGetManifestAsync(a.Reference.WithTag(ReferrersTag(a))))!;
        await _client.PushManifestAsync(b.Reference, OciMediaTypes.ImageIndex, index.Content, ReferrersTag(b));

        CliRun verify = VerifyAttestation(Name(b), Subject, attached.TrustedRoot);
        CliRunner.AssertFails(verify, 1, "SC4402");
        Assert.Contains($"{attached.Digest}: SC4403", verify.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task A_statement_about_image_A_attached_to_image_B_is_refused_for_B()
    {
        PushedImage a = await PushAsync("sigstore-oci/subject", "a");
        PushedImage b = await PushAsync("sigstore-oci/subject", "b");

        // The referrer manifest's subject is B (so the listing finds it); the signed statement names A.
        Attached attached = Attach("dsse", b, statementDigest: a.Descriptor.Digest);

        CliRun verify = VerifyAttestation(Name(b), Subject, attached.TrustedRoot);
        CliRunner.AssertFails(verify, 1, "SC4402");
        Assert.Contains($"{attached.Digest}: SC4403", verify.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task Sigstore_oci_and_signcli_attest_share_the_tag_schema_index_without_losing_entries()
    {
        PushedImage image = await PushAsync("sigstore-oci/shared", "v1");
        string name = Name(image);
        string predicate = Path.Combine(_dir, "sbom.json");
        File.WriteAllText(predicate, "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}");

        // sigstore-js first, signcli second (it must keep the entry @sigstore/oci wrote), sigstore-js again (it must keep
        // the entry signcli wrote). signcli signs with a key and the in-process fake Rekor/TSA (its own trusted root).
        using var fake = new FakeSigstore();
        string fakeRoot = Path.Combine(_dir, "fake_trusted_root.json");
        File.WriteAllBytes(fakeRoot, fake.TrustedRootBytes);
        using KeyFileSigner key = KeyFileSigner.GenerateEcdsaP256();
        string keyFile = Path.Combine(_dir, "cosign.key");
        string pubFile = Path.Combine(_dir, "cosign.pub");
        File.WriteAllText(keyFile, key.ExportCosignEncryptedPem(Encoding.UTF8.GetBytes(KeyPassword)));
        File.WriteAllText(pubFile, key.PublicKeyPem);
        Attached first = Attach("dsse", image);
        CliRun attest = RunWith(
            fake, "attest", name, "--predicate", predicate, "--type", "cyclonedx", "--key", keyFile, "--trusted-root", fakeRoot,
            "--fulcio-url", FakeSigstore.BaseUrl.ToString(), "--rekor-url", FakeSigstore.BaseUrl.ToString(), "--rekor-version", "1");
        Assert.True(attest.ExitCode == 0, attest.ToString());
        Attached third = Attach("dsse", image);

        IReadOnlyList<OciDescriptor> referrers = await _client.ListReferrersAsync(image.Reference, null);
        Assert.Equal(3, referrers.Count);
        string second = Assert.Single(referrers, r => r.Digest != first.Digest && r.Digest != third.Digest).Digest;
        Assert.Equal(3, new[] { first.Digest, second, third.Digest }.Distinct().Count());

        // Both clients write the same descriptor shape, and neither drops the other's annotations on rewrite.
        foreach (OciDescriptor referrer in referrers)
        {
            string type = referrer.Digest == second ? "https://cyclonedx.org/bom" : SlsaProvenance1;
            Assert.Equal(SignatureMediaTypes.SigstoreBundle, referrer.ArtifactType);
            Assert.Equal("dsse-envelope", referrer.Annotations![SignatureMediaTypes.BundleContentAnnotation]);
            Assert.Equal(type, referrer.Annotations![SignatureMediaTypes.BundlePredicateTypeAnnotation]);
            Assert.True(referrer.Annotations!.ContainsKey(SignatureMediaTypes.CreatedAnnotation));
        }

        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        foreach (string digest in new[] { first.Digest, second, third.Digest })
        {
            Assert.Contains($"referrer {digest} ", tree.Stdout, StringComparison.Ordinal);
        }

        // Each sigstore-js run has its own mock keys: under the third run's root the first bundle is refused, the third verifies.
        CliRun slsa = VerifyAttestation(name, Subject, third.TrustedRoot);
        Assert.True(slsa.ExitCode == 0, slsa.ToString());
        Assert.Contains($"OCI referrer {third.Digest}", slsa.Stderr, StringComparison.Ordinal);
        CliRun cyclonedx = Run("verify-attestation", name, "--type", "cyclonedx", "--key", pubFile, "--trusted-root", fakeRoot);
        Assert.True(cyclonedx.ExitCode == 0, cyclonedx.ToString());
        Assert.Contains($"OCI referrer {second}", cyclonedx.Stderr, StringComparison.Ordinal);
    }

    [SigstoreOciFact]
    public async Task A_sigstore_js_message_signature_is_another_referrer_type_and_not_an_image_signature()
    {
        PushedImage image = await PushAsync("sigstore-oci/message", "v1");
        string name = Name(image);
        Attached attached = Attach("message", image);

        // @sigstore/sign makes message-signature bundles v0.2 (with the certificate chain), and actions/attest-style code
        // uses the bundle's media type as the artifact type; image signature bundles are v0.3 (cosign's bundle spec).
        CliRun tree = Run("tree", name);
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Contains($"referrer {attached.Digest} ({BundleV02})", tree.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Signatures", tree.Stdout, StringComparison.Ordinal);

        CliRun verify = Run("verify", name, "--certificate-identity", Subject, "--certificate-oidc-issuer", Issuer, "--trusted-root", attached.TrustedRoot);
        CliRunner.AssertFails(verify, 5, "SC4401");
    }

    private async Task<PushedImage> PushAsync(string repository, string tag) =>
        await TestImages.PushImageAsync(_client, ImageReference.Parse($"{Host}/{repository}"), tag);

    /// <summary>The referrers tag-schema tag of an image: <c>sha256-&lt;hex&gt;</c> (distribution-spec, "Referrers Tag Schema").</summary>
    private static string ReferrersTag(PushedImage image) => image.Descriptor.Digest.Replace(':', '-');

    private static string Name(PushedImage image) => $"{image.Reference.Registry}/{image.Reference.Repository}@{image.Descriptor.Digest}";

    /// <summary>Runs attest-image.mjs: sigstore-js signs against its own @sigstore/mock stack, @sigstore/oci attaches.</summary>
    private Attached Attach(string mode, PushedImage image, string? statementDigest = null)
    {
        List<string> args = [mode, Host, image.Reference.Repository, image.Descriptor.Digest, _token];
        if (statementDigest is not null)
        {
            args.Add(statementDigest);
        }

        (int exit, string output) = NodeInterop.RunSigstoreOci("attest-image.mjs", [.. args]);
        Assert.True(exit == 0, "attest-image.mjs: " + output);
        Assert.DoesNotContain(_token, output, StringComparison.Ordinal);
        JsonNode result = JsonNode.Parse(output.Split('\n').Last(l => l.StartsWith('{')))!;
        string root = Path.Combine(_dir, $"trusted_root-{Guid.NewGuid():N}.json");
        File.WriteAllText(root, result["trustedRoot"]!.ToJsonString());
        return new Attached((string)result["descriptor"]!["digest"]!, (string)result["descriptor"]!["mediaType"]!, root);
    }

    private static CliRun VerifyAttestation(string image, string identity, string trustedRoot) =>
        Run("verify-attestation", image, "--type", "slsaprovenance1", "--certificate-identity", identity, "--certificate-oidc-issuer", Issuer, "--trusted-root", trustedRoot);

    private static CliRun Run(params string[] args) => CliRunner.Run(args);

    private static CliRun RunWith(FakeSigstore fake, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = CliRunner.Exit(() => CliApp.RunWithAsync(args, stdout, stderr, new KeyPasswordEnvironment(), fake));
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>No terminal; COSIGN_PASSWORD is the key's password.</summary>
    private sealed class KeyPasswordEnvironment : IPasswordSource
    {
        public bool IsInteractive => false;

        public string? GetEnvironmentVariable(string name) => name == "COSIGN_PASSWORD" ? KeyPassword : null;

        public string ReadHidden(string prompt, TextWriter promptWriter) => throw new InvalidOperationException("no terminal");
    }

    /// <summary>A referrer attached by attest-image.mjs: its manifest's digest and media type, and the mock's trusted root file.</summary>
    private sealed record Attached(string Digest, string MediaType, string TrustedRoot);
}
