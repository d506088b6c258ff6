using SupplyChain.Http;
using System.Net;
using System.Security.Cryptography;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A referrers list as a registry serves it, through the real registry client: the referrers API (pagination by Link,
/// the artifactType filter the registry did or did not apply) or, when the API answers 404, the referrers tag schema.
/// The first byte's bits choose: 1 a Link to a next page, 2 OCI-Filters-Applied, 4 the tag fallback, 8 an artifactType
/// filter; the rest is the index body.
/// </summary>
internal sealed class ReferrersTarget : FuzzTarget
{
    private const string Subject = "registry.example/app@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    public override string Name => "referrers";

    public override string Description => "flags byte + referrers index JSON -> OciRegistryClient.ListReferrersAsync (API or tag schema)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        byte flags = input[0];
        byte[] body = input[1..].ToArray();
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        using var handler = new StubHttpHandler(request =>
        {
            string path = request.RequestUri!.AbsolutePath;
            if (path.Contains("/referrers/", StringComparison.Ordinal))
            {
                if ((flags & 4) != 0)
                {
                    return StubHttpHandler.Respond(HttpStatusCode.NotFound, [], null);
                }

                HttpResponseMessage page = StubHttpHandler.Respond(HttpStatusCode.OK, body, OciMediaTypes.ImageIndex);
                if ((flags & 1) != 0)
                {
                    page.Headers.TryAddWithoutValidation("Link", $"<{path}?last=x>; rel=\"next\"");
                }

                if ((flags & 2) != 0)
                {
                    page.Headers.TryAddWithoutValidation("OCI-Filters-Applied", "artifactType");
                }

                return page;
            }

            HttpResponseMessage manifest = StubHttpHandler.Respond(HttpStatusCode.OK, body, OciMediaTypes.ImageIndex);
            manifest.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest);
            return manifest;
        });
        using var client = new OciRegistryClient(new OciRegistryClientOptions { Transport = handler, Retry = HttpRetryPolicy.None });
        string? artifactType = (flags & 8) != 0 ? "application/vnd.dev.sigstore.bundle.v0.3+json" : null;
        client.ListReferrersAsync(ImageReference.Parse(Subject), artifactType).GetAwaiter().GetResult();
    }
}
