using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Tests.Oidc;

internal static class Jwt
{
    public static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public static string Make(object claims) =>
        Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT"}"""u8) + "." +
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims)) + ".c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LWNsaWVudHM";

    public static Dictionary<string, object?> Claims(string aud = "sigstore", string iss = "https://issuer.example", string? email = null, object? emailVerified = null, string? nonce = null) =>
        Claims(aud, iss, email, emailVerified, nonce, Now.AddMinutes(10));

    public static Dictionary<string, object?> Claims(object aud, string iss, string? email, object? emailVerified, string? nonce, DateTimeOffset exp)
    {
        var c = new Dictionary<string, object?>
        {
            ["iss"] = iss,
            ["sub"] = "repo:octo/app:ref:refs/heads/main",
            ["aud"] = aud,
            ["exp"] = exp.ToUnixTimeSeconds(),
            ["iat"] = Now.AddMinutes(-1).ToUnixTimeSeconds(),
        };
        if (email is not null)
        {
            c["email"] = email;
        }

        if (emailVerified is not null)
        {
            c["email_verified"] = emailVerified;
        }

        if (nonce is not null)
        {
            c["nonce"] = nonce;
        }

        return c;
    }

    public static string Valid(string aud = "sigstore", string iss = "https://issuer.example") => Make(Claims(aud, iss));
}

internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, string?, HttpResponseMessage> _respond;

    public StubHandler(Func<HttpRequestMessage, string?, HttpResponseMessage> respond) => _respond = respond;

    public List<(HttpRequestMessage Request, string? Body)> Requests { get; } = [];

    public static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Text(HttpStatusCode status, string body) => new(status) { Content = new StringContent(body) };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add((request, body));
        }

        return _respond(request, body);
    }
}

internal sealed class FakeEnvironment(Dictionary<string, string> values) : IEnvironmentVariables
{
    public string? GetVariable(string name) => values.TryGetValue(name, out string? v) ? v : null;
}

internal sealed class FakeCommandRunner(int exitCode, string stdout) : ICommandRunner
{
    public List<(string File, IReadOnlyList<string> Args)> Calls { get; } = [];

    public Task<(int ExitCode, string StandardOutput)> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Calls.Add((fileName, arguments));
        return Task.FromResult((exitCode, stdout));
    }
}
