using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using SupplyChain.Testing.Virtual;
using VerifyUpload;

namespace SupplyChain.Extensions.DependencyInjection.Tests;

/// <summary>docs/samples/VerifyUpload on 127.0.0.1 over real HTTP, with a VirtualSigstore trusted root mounted as a file.</summary>
public sealed class SampleAppTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] ArtifactBytes = "release tarball"u8.ToArray();
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();
    private readonly string _dir = Directory.CreateTempSubdirectory("sc-sample-").FullName;
    private readonly HttpClient _http = new();
    private WebApplication? _app;
    private Uri _url = new("http://127.0.0.1/");

    public async Task InitializeAsync()
    {
        string root = Path.Combine(_dir, "trusted_root.json");
        await File.WriteAllBytesAsync(root, _sigstore.TrustedRootBytes);
        _app = VerifyUploadApp.Build([
            "--urls=http://127.0.0.1:0",
            "--Sigstore:TrustedRoot:TrustedRootPath=" + root,
            "--Sigstore:Identity=" + SigningOptions.DefaultIdentity,
            "--Sigstore:Issuer=" + SigningOptions.DefaultIssuer,
        ]);
        await _app.StartAsync();
        _url = new Uri(_app.Urls.First());
        SigstoreVerifierProvider verifiers = _app.Services.GetRequiredService<SigstoreVerifierProvider>();
        for (int i = 0; i < 100 && verifiers.TrustedRootVersion is null; i++)
        {
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _sigstore.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> UploadAsync(byte[] artifact, byte[] bundle)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(artifact), "artifact", "app.tar.gz" },
            { new ByteArrayContent(bundle), "bundle", "app.tar.gz.sigstore.json" },
        };
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_url, "/verify"), form);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task A_signed_upload_verifies()
    {
        (HttpStatusCode status, JsonNode body) = await UploadAsync(ArtifactBytes, _sigstore.SignMessage(ArtifactBytes));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(SigningOptions.DefaultIdentity, body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_upload_is_refused_with_its_code()
    {
        (HttpStatusCode status, JsonNode body) = await UploadAsync("another tarball"u8.ToArray(), _sigstore.SignMessage(ArtifactBytes));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("SC1", (string)body["code"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_else_s_signature_is_refused()
    {
        byte[] bundle = _sigstore.SignMessage(ArtifactBytes, new SigningOptions { Identity = "https://github.com/attacker/repo/.github/workflows/release.yml@refs/heads/main" });
        (HttpStatusCode status, JsonNode body) = await UploadAsync(ArtifactBytes, bundle);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("SC1", (string)body["code"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_bundle_or_missing_field_is_a_client_error()
    {
        (HttpStatusCode status, JsonNode body) = await UploadAsync(ArtifactBytes, "{\"mediaType\":\"nope\"}"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("SC1", (string)body["code"]!, StringComparison.Ordinal);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(ArtifactBytes), "artifact", "a" } };
        using HttpResponseMessage response = await _http.PostAsync(new Uri(_url, "/verify"), form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
