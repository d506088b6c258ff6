using SupplyChain.Http;
using System.Net;
using System.Text;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A registry's <c>WWW-Authenticate</c> challenge (RFC 7235, distribution token spec) and its token server's answer,
/// through the real registry client: the first line is the challenge the registry sends with its 401, the rest is the
/// token response body. The challenge parser also sees the line alone.
/// </summary>
internal sealed class WwwAuthenticateTarget : FuzzTarget
{
    private static readonly byte[] EmptyManifest = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"""u8.ToArray();

    public override string Name => "www-authenticate";

    public override string Description => "challenge line + token response JSON -> AuthChallenge.Parse, bearer token flow";

    public override string Dictionary => "text.dict";

    public override void Run(ReadOnlySpan<byte> input)
    {
        int newline = input.IndexOf((byte)'\n');
        string challenge = Encoding.UTF8.GetString(newline < 0 ? input : input[..newline]);
        byte[] tokenBody = newline < 0 ? [] : input[(newline + 1)..].ToArray();
        AuthChallenge.Parse(challenge);

        using var handler = new StubHttpHandler(request =>
        {
            if (!request.RequestUri!.AbsolutePath.StartsWith("/v2/", StringComparison.Ordinal))
            {
                return StubHttpHandler.Respond(HttpStatusCode.OK, tokenBody, "application/json");
            }

            if (request.Headers.Authorization is null)
            {
                HttpResponseMessage unauthorized = StubHttpHandler.Respond(HttpStatusCode.Unauthorized, [], null);
                unauthorized.Headers.TryAddWithoutValidation("WWW-Authenticate", challenge);
                return unauthorized;
            }

            return StubHttpHandler.Respond(HttpStatusCode.OK, EmptyManifest, OciMediaTypes.ImageManifest);
        });
        using var client = new OciRegistryClient(new OciRegistryClientOptions
        {
            Transport = handler,
            Retry = HttpRetryPolicy.None,
            Credentials = new StaticCredentialSource(RegistryCredential.FromPassword("user", "secret"), "registry.example"),
        });
        client.TryGetManifestAsync(ImageReference.Parse("registry.example/app:latest")).GetAwaiter().GetResult();
    }
}
