using System.Text;
using SupplyChain.Instance;

namespace SupplyChain.Fuzz.Targets;

/// <summary>
/// A request to the local Sigstore instance (<c>signcli instance serve</c>), handed to its router as the HTTP layer
/// does: the first byte picks the endpoint (Fulcio signingCert, Rekor v2 entries, RFC 3161 query, timestamp JSON, or a
/// GET of a log path, the rest then being the path); the rest is the body. <c>$TOKEN</c> in a body becomes a fresh
/// identity token of the instance's own issuer, so seeds reach the CSR and proof-of-possession checks.
/// </summary>
internal sealed class InstanceHttpTarget : FuzzTarget
{
    private static readonly (string Method, string Path, string? ContentType)[] Endpoints =
    [
        ("POST", "/api/v2/signingCert", "application/json"),
        ("POST", "/api/v2/log/entries", "application/json"),
        ("POST", "/api/v1/timestamp", "application/timestamp-query"),
        ("POST", "/api/v1/timestamp", "application/json"),
        ("GET", string.Empty, null),
    ];

    private static readonly Lazy<LocalInstance> Instance = new(() =>
    {
        string dir = Path.Combine(Path.GetTempPath(), "supplychain-fuzz-instance-" + Environment.ProcessId);
        LocalInstance.Initialize(dir, force: true);
        return LocalInstance.Open(dir);
    });

    private static readonly Uri BaseUrl = new("http://127.0.0.1:1/");

    public override string Name => "instance-http";

    public override string Description => "endpoint byte + request body -> local instance router (Fulcio, Rekor v2, TSA, tiles)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        (string method, string path, string? contentType) = Endpoints[input[0] % Endpoints.Length];
        byte[] body = input[1..].ToArray();
        if (method == "GET")
        {
            path = "/" + Encoding.UTF8.GetString(body);
            body = [];
        }
        else if (body.AsSpan().IndexOf("$TOKEN"u8) >= 0)
        {
            body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("$TOKEN", Instance.Value.MintIdentityToken().RawToken, StringComparison.Ordinal));
        }

        Instance.Value.Router.HandleAsync(method, path, contentType, body, BaseUrl, CancellationToken.None).GetAwaiter().GetResult();
    }
}
