using System.Net;
using System.Security.Cryptography;
using System.Text;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Manifests;
using SupplyChain.Testing.Oci;
using SupplyChain.Http;

namespace SupplyChain.Oci.Tests.Registry;

/// <summary>Shared pieces of the stub-transport unit tests: a sample manifest, digests, and a client over a stub.</summary>
internal static class StubRegistry
{
    public const string Host = "registry.example";

    public static readonly ImageReference Repo = ImageReference.Parse(Host + "/team/app:v1");

    public static readonly byte[] Manifest = OciManifest.Create(
        new OciDescriptor(OciMediaTypes.ImageConfig, "sha256:" + new string('1', 64), 10),
        [new OciDescriptor("application/vnd.oci.image.layer.v1.tar+gzip", "sha256:" + new string('2', 64), 20)]).ToJson();

    public static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static HttpResponseMessage ManifestAnswer(byte[]? body = null, string mediaType = OciMediaTypes.ImageManifest, params (string, string)[] headers) =>
        StubRegistryHandler.Answer(HttpStatusCode.OK, body ?? Manifest, mediaType, headers);

    public static HttpResponseMessage Error(HttpStatusCode status, string code) =>
        StubRegistryHandler.Json(status, "{\"errors\":[{\"code\":\"" + code + "\",\"message\":\"stub says " + code + "\"}]}");

    public static OciRegistryClient Client(StubRegistryHandler handler, OciRegistryClientOptions? options = null, TimeProvider? time = null) =>
        new((options ?? new OciRegistryClientOptions()) with
        {
            Transport = handler,
            TimeProvider = time ?? new DelayRecordingTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)),
            Retry = (options?.Retry ?? HttpRetryPolicy.Default) with { AttemptTimeout = TimeSpan.FromHours(1) },
        });

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
