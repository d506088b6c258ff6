using System.Text;
using System.Text.Json.Nodes;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Oci;
using SupplyChain.Testing.Virtual;
using static SupplyChain.Cli.Tests.Enforcement.EnforcementWorld;

namespace SupplyChain.Cli.Tests.Enforcement;

/// <summary>
/// The table of attacks (README.md beside this file lists each with its code). Every case is run by
/// <see cref="EnforcementSuiteTests"/> through the library, the CLI and the webhook; none may be allowed. Adding a case
/// here tests it on all three.
/// </summary>
public static class EnforcementCases
{
    public static IReadOnlyList<EnforcementCase> All { get; } =
    [
        // Multi-arch: every runnable platform is judged on its own.
        new("index-with-an-unsigned-platform", "an index whose amd64 manifest is signed and whose arm64 manifest is not", "SC5102", MultiArchMixAsync),
        new("index-rewrapped-around-a-signed-platform", "a new index listing a platform manifest signed only through the original index, beside the attacker's own", "SC5102", RewrappedIndexAsync),

        // Claims: read only from signed content, proved by layers, followed only where the policy allows.
        new("claim-forged-onto-unrelated-layers", "a signed image claims a signed base whose layers it does not start with", "SC4603", ForgedClaimAsync),
        new("claim-in-an-unsigned-image-names-a-ruled-tarpit", "an unsigned image claims a base on a host that never answers; the host is ruled", "SC5102", UnsignedClaimAsync),
        new("claim-only-in-an-unsigned-index", "scratch claimed in the annotations of an index nobody signed, over a signed platform", "SC5105", UnsignedIndexClaimAsync),
        new("claim-to-an-unruled-host", "a signed image claims a base on a host no rule covers (a tarpit)", "SC5113", UnruledHostClaimAsync),
        new("claim-to-a-trickling-host", "a signed image claims a base on a ruled host that answers 500 one byte at a time", "SC5112", TricklingHostClaimAsync),

        // Attachments: bounded, and a bad one never hides a good one nor counts as one.
        new("referrers-fat-and-garbage", "garbage bundle referrers just under 1 MiB, one over the limit, and a legacy .sig of 16 fat layers, no valid signature", "SC5103", FatReferrersAsync),
        new("one-signature-for-threshold-two", "one CI signature against two authorities naming the same key, threshold 2", "SC5103", DuplicatedSignerAsync),
        new("legacy-signature-with-null-SET", "a legacy .sig layer whose Rekor bundle annotation has a null SignedEntryTimestamp", "SC5103", NullSetAsync),
        new("bundle-v0.1-with-a-v0.3-certificate", "a keyless bundle relabelled v0.1 while carrying v0.3's verificationMaterial.certificate", "SC5103", V01WithCertificateAsync),

        // Names: the rule of an image cannot be dodged by spelling its host differently.
        new("host-spelled-127.1", "an unsigned image named through 127.1:PORT to dodge the rule for 127.0.0.1:PORT (defaultAction allow)", "SC5102", r => SpellingAsync(r, h => "127.1:" + Port(h))),
        new("host-spelled-2130706433", "the same through the decimal IPv4 form", "SC5102", r => SpellingAsync(r, h => "2130706433:" + Port(h))),
        new("host-spelled-ipv4-mapped-ipv6", "the same through [::ffff:127.0.0.1]", "SC5102", r => SpellingAsync(r, h => "[::ffff:127.0.0.1]:" + Port(h))),
        new("host-spelled-with-default-port-443", "registry.example:443/... to dodge the rule for registry.example/...: the rule applies, that registry is read (unreachable here)", "SC4002", DefaultPortAsync),
        new("host-spelled-as-a-docker-hub-alias", "index.docker.io/library/... to dodge the rule for docker.io/library/...: the rule applies (Docker Hub is unreachable here)", "SC4002", DockerHubAliasAsync),

        // Policies and credentials.
        new("identity-regex-escaping-its-anchors", "a keyless subjectRegExp x)|(.* that would match any identity once wrapped in \\A(?:...)\\z: the policy does not load", "SC5006", EscapingRegexAsync, WebhookCode: "SC7203", Mentions: "SC1610"),
        new("credentials-to-a-claim-named-host", "a signed image on an authenticated registry claims a base on a ruled host that asks for Basic credentials", "SC5112", CredentialsAsync),
    ];

    private static string Port(string host) => host[(host.LastIndexOf(':') + 1)..];

    private static async Task<CaseSetup> MultiArchMixAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "multi") + "/app";
        PushedImage index = await TestImages.PushIndexAsync(client, ImageReference.Parse(repository), "1", [new OciPlatform("linux", "amd64"), new OciPlatform("linux", "arm64")]);
        await w.Ci.SignAsync(client, ImageReference.Parse(repository).WithDigest(index.Platforms[0].Digest).ToString());
        return new CaseSetup(index.Reference.ToString(), PolicyText(CiRule("apps", "", repository)));
    }

    private static async Task<CaseSetup> RewrappedIndexAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "rewrap") + "/app";
        ImageReference repo = ImageReference.Parse(repository);
        PushedImage original = await TestImages.PushIndexAsync(client, repo, "1", [new OciPlatform("linux", "amd64")]);
        await w.Ci.SignAsync(client, original.Reference.ToString()); // only the original index is signed
        PushedImage attacker = await TestImages.PushImageAsync(client, repo, "evil");
        var entries = new List<OciDescriptor> { original.Platforms[0], attacker.Descriptor with { Platform = new OciPlatform("linux", "arm64") } };
        OciDescriptor rewrapped = await client.PushManifestAsync(repo, OciMediaTypes.ImageIndex, OciIndex.Create(entries).ToJson(), "rewrapped");
        return new CaseSetup(repo.WithDigest(rewrapped.Digest).ToString(), PolicyText(CiRule("apps", "", repository)));
    }

    private static async Task<CaseSetup> ForgedClaimAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string prefix = Prefix(w.Registry, "forged");
        PushedImage baseImage = await PushAsync(client, prefix + "/base", new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch });
        await SignAsync(client, w.Publisher, baseImage);
        PushedImage app = await PushAsync(client, prefix + "/app", Claim(prefix + "/base", baseImage.Descriptor.Digest));
        await SignAsync(client, w.Ci, app);
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "    lineage: { required: true, trustedRoots: [scratch] }", prefix + "/app") + "\n" + PublisherRule("base", prefix + "/base")));
    }

    private static async Task<CaseSetup> UnsignedClaimAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string prefix = Prefix(w.Registry, "unsigned");
        PushedImage app = await PushAsync(client, prefix + "/app", Claim(w.Tarpit.Host + "/base", "sha256:" + new string('c', 64)));
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "    lineage: { required: true }", prefix + "/app", w.Tarpit.Host + "/**")), After: Untouched);
    }

    private static async Task<CaseSetup> UnsignedIndexClaimAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "idxclaim") + "/app";
        ImageReference repo = ImageReference.Parse(repository);
        PushedImage platform = await TestImages.PushImageAsync(client, repo, "platform");
        await SignAsync(client, w.Ci, platform);
        byte[] index = OciIndex.Create([platform.Descriptor with { Platform = new OciPlatform("linux", "amd64") }], new Dictionary<string, string> { [BaseImageClaim.NameKey] = BaseImageClaim.Scratch }).ToJson();
        OciDescriptor pushed = await client.PushManifestAsync(repo, OciMediaTypes.ImageIndex, index, "1");
        return new CaseSetup(repo.WithDigest(pushed.Digest).ToString(), PolicyText(CiRule("apps", "    lineage: { required: true, trustedRoots: [scratch] }", repository)));
    }

    private static async Task<CaseSetup> UnruledHostClaimAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string prefix = Prefix(w.Registry, "unruled");
        PushedImage app = await PushAsync(client, prefix + "/app", Claim(w.Tarpit.Host + "/base", "sha256:" + new string('d', 64)));
        await SignAsync(client, w.Ci, app);
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "    lineage: { required: true }", prefix + "/app")), After: Untouched);
    }

    private static async Task<CaseSetup> TricklingHostClaimAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string prefix = Prefix(w.Registry, "trickle");
        PushedImage app = await PushAsync(client, prefix + "/app", Claim(w.Trickler.Host + "/base", "sha256:" + new string('e', 64)));
        await SignAsync(client, w.Ci, app);
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "    lineage: { required: true }", prefix + "/app") + "\n" + PublisherRule("slow", w.Trickler.Host + "/**")));
    }

    private static async Task<CaseSetup> FatReferrersAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "fat") + "/app";
        PushedImage app = await PushAsync(client, repository);
        await HostileAttachments.PushGarbageReferrersAsync(client, app.Reference, app.Descriptor, 3, HostileAttachments.UnderSignatureLimit);
        await HostileAttachments.PushGarbageReferrersAsync(client, app.Reference, app.Descriptor, 1, (1024 * 1024) + 1, seed: 1);
        await HostileAttachments.PushFatLegacySignaturesAsync(client, app.Reference, app.Descriptor.Digest, 16, HostileAttachments.UnderSignatureLimit);
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "", repository)));
    }

    private static async Task<CaseSetup> DuplicatedSignerAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "dup") + "/app";
        PushedImage app = await PushAsync(client, repository);
        await SignAsync(client, w.Ci, app);
        string rule = $"""
              - name: two-of-two
                images: ["{repository}"]
                threshold: 2
                authorities:
                  - name: ci
                    key: {"{"} path: keys/ci.pub {"}"}
                  - name: ci-again
                    key: {"{"} path: keys/ci.pub {"}"}
            """;
        return new CaseSetup(app.Reference.ToString(), PolicyText(rule));
    }

    private static async Task<CaseSetup> NullSetAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "nullset") + "/app";
        PushedImage app = await PushAsync(client, repository);
        string name = app.Reference.Registry + "/" + app.Reference.Repository;
        byte[] payload = SimpleSigningPayload.Create(name, app.Descriptor.Digest);
        OciDescriptor layer = await client.PushBlobAsync(app.Reference, SignatureMediaTypes.SimpleSigning, payload);
        OciDescriptor config = await client.PushBlobAsync(app.Reference, OciMediaTypes.ImageConfig, """{"architecture":"","os":"","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray());
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = OciMediaTypes.ImageManifest,
            ["config"] = new JsonObject { ["mediaType"] = OciMediaTypes.ImageConfig, ["digest"] = config.Digest, ["size"] = config.Size },
            ["layers"] = new JsonArray(new JsonObject
            {
                ["mediaType"] = SignatureMediaTypes.SimpleSigning,
                ["digest"] = layer.Digest,
                ["size"] = layer.Size,
                ["annotations"] = new JsonObject
                {
                    [SignatureMediaTypes.SignatureAnnotation] = Convert.ToBase64String(new byte[71]),
                    [SignatureMediaTypes.RekorBundleAnnotation] = """{"SignedEntryTimestamp":null,"Payload":{"body":"e30=","integratedTime":1,"logIndex":1,"logID":"00"}}""",
                },
            }),
        };
        await client.PushManifestAsync(app.Reference, OciMediaTypes.ImageManifest, Encoding.UTF8.GetBytes(manifest.ToJsonString()), "sha256-" + app.Descriptor.Digest[7..] + ".sig");
        return new CaseSetup(app.Reference.ToString(), PolicyText(CiRule("apps", "", repository)));
    }

    private static async Task<CaseSetup> V01WithCertificateAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "v01cert") + "/app";
        PushedImage app = await PushAsync(client, repository);
        JsonObject bundle = w.KeylessBundle(app);
        bundle["mediaType"] = "application/vnd.dev.sigstore.bundle+json;version=0.1";
        await HostileAttachments.PushBundleReferrersAsync(client, app.Reference, app.Descriptor, 1, Encoding.UTF8.GetBytes(bundle.ToJsonString()));
        return new CaseSetup(app.Reference.ToString(), PolicyText(KeylessRule(repository, $"subject: \"{SigningOptions.DefaultIdentity}\"")));
    }

    private static async Task<CaseSetup> SpellingAsync(EnforcementWorld w, Func<string, string> spell)
    {
        using OciRegistryClient client = w.PushClient();
        string path = "spell-" + Guid.NewGuid().ToString("N")[..6] + "/app";
        PushedImage app = await PushAsync(client, w.Registry.Host + "/" + path);
        return new CaseSetup(spell(w.Registry.Host) + "/" + path + "@" + app.Descriptor.Digest, PolicyText(CiRule("apps", "", w.Registry.Host + "/spell-*/**"), defaultAction: "allow"));
    }

    private static Task<CaseSetup> DefaultPortAsync(EnforcementWorld w) =>
        Task.FromResult(new CaseSetup("registry.example:443/spell/app@sha256:" + new string('a', 64), PolicyText(CiRule("apps", "", "registry.example/spell/**"), defaultAction: "allow")));

    private static Task<CaseSetup> DockerHubAliasAsync(EnforcementWorld w) =>
        Task.FromResult(new CaseSetup("index.docker.io/library/nginx@sha256:" + new string('b', 64), PolicyText(CiRule("hub", "", "docker.io/library/**"), defaultAction: "allow")));

    private static async Task<CaseSetup> EscapingRegexAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string repository = Prefix(w.Registry, "regex") + "/app";
        PushedImage app = await PushAsync(client, repository);
        return new CaseSetup(app.Reference.ToString(), PolicyText(KeylessRule(repository, "subjectRegExp: \"x)|(.*\"")));
    }

    private static async Task<CaseSetup> CredentialsAsync(EnforcementWorld w)
    {
        using OciRegistryClient client = w.PushClient();
        string prefix = Prefix(w.AuthenticatedRegistry, "creds");
        PushedImage app = await PushAsync(client, prefix + "/app", Claim(w.Recorder.Host + "/base", "sha256:" + new string('f', 64)));
        await SignAsync(client, w.Ci, app);
        return new CaseSetup(
            app.Reference.ToString(),
            PolicyText(CiRule("apps", "    lineage: { required: true }", prefix + "/app") + "\n" + PublisherRule("claimed", w.Recorder.Host + "/**")),
            Authenticated: true,
            After: world =>
            {
                // The walk did ask the claimed host for the base (so it had the chance to send credentials), without them.
                Assert.Contains(world.Recorder.Requests, r => r.Target.StartsWith("/v2/base/manifests/sha256:", StringComparison.Ordinal));
                Assert.All(world.Recorder.Requests, r => Assert.Null(r.Authorization));
            });
    }

    /// <summary>A rule over <paramref name="repository"/> whose one authority is keyless: the VirtualSigstore's issuer and <paramref name="subject"/> (a YAML field).</summary>
    private static string KeylessRule(string repository, string subject) => $"""
          - name: keyless
            images: ["{repository}"]
            authorities:
              - name: release
                keyless: {"{"} issuer: "{SigningOptions.DefaultIssuer}", {subject} {"}"}
        """;

    private static void Untouched(EnforcementWorld world) => Assert.Equal(0, world.Tarpit.Accepted);
}
