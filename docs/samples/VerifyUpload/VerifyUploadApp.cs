using System.Text.Json.Nodes;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Verification;
using SupplyChain.Extensions.DependencyInjection;

namespace VerifyUpload;

/// <summary>
/// An ASP.NET Core app that verifies an uploaded artifact against its Sigstore bundle: <c>POST /verify</c> with a
/// multipart form (<c>artifact</c>, <c>bundle</c>). Who must have signed it comes from configuration
/// (<c>Sigstore:Identity</c>, <c>Sigstore:Issuer</c>), never from the uploader; the trusted root from
/// <c>Sigstore:TrustedRoot</c> (TUF by default, kept current in the background).
/// </summary>
public static class VerifyUploadApp
{
    /// <summary>Largest artifact accepted (the form's whole body is bounded by Kestrel too).</summary>
    private const long MaxArtifactBytes = 64 * 1024 * 1024;

    /// <summary>Largest bundle accepted.</summary>
    private const long MaxBundleBytes = 1024 * 1024;

    /// <summary>Builds the app.</summary>
    /// <param name="args">Command-line arguments (configuration, such as <c>--urls</c> or <c>--Sigstore:Identity=...</c>).</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        builder.Services.Configure<SigstoreTrustedRootOptions>(builder.Configuration.GetSection("Sigstore:TrustedRoot"));
        builder.Services.AddSigstoreTrustedRoot();
        builder.Services.AddSigstoreVerifier();
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = MaxArtifactBytes + MaxBundleBytes);

        WebApplication app = builder.Build();
        string identity = app.Configuration["Sigstore:Identity"] ?? throw new InvalidOperationException("set Sigstore:Identity (the signer's certificate identity)");
        string issuer = app.Configuration["Sigstore:Issuer"] ?? throw new InvalidOperationException("set Sigstore:Issuer (the signer's OIDC issuer)");
        VerificationPolicy policy = VerificationPolicy.ForCertificateIdentities(CertificateIdentity.Exact(identity, issuer));

        app.MapPost("/verify", (HttpContext context, SigstoreVerifierProvider verifiers) => VerifyAsync(context, verifiers, policy));
        return app;
    }

    private static async Task<IResult> VerifyAsync(HttpContext context, SigstoreVerifierProvider verifiers, VerificationPolicy policy)
    {
        if (!context.Request.HasFormContentType)
        {
            return Results.BadRequest(new JsonObject { ["error"] = "send a multipart form with the fields artifact and bundle" }.ToJsonString());
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form.Files["artifact"] is not { } artifactFile || form.Files["bundle"] is not { } bundleFile
            || artifactFile.Length > MaxArtifactBytes || bundleFile.Length > MaxBundleBytes)
        {
            return Results.BadRequest(new JsonObject { ["error"] = "artifact (at most 64 MiB) and bundle (at most 1 MiB) are required" }.ToJsonString());
        }

        try
        {
            SigstoreBundle bundle = SigstoreBundle.Parse(await ReadAsync(bundleFile, context.RequestAborted));
            byte[] artifact = await ReadAsync(artifactFile, context.RequestAborted);
            VerificationResult result = verifiers.GetVerifier().Verify(bundle, Artifact.FromBytes(artifact), policy);
            return Results.Text(result.ToJson(), "application/json");
        }
        catch (SupplyChainException ex)
        {
            // The code says why (SC1xxx: a bad bundle or a failed verification; SC3073: no trusted root yet).
            int status = ex.Error.Category == ErrorCategory.TrustRootOrConfiguration ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status422UnprocessableEntity;
            return Results.Json(new Dictionary<string, string> { ["code"] = ex.Code, ["error"] = ex.Message }, statusCode: status);
        }
    }

    private static async Task<byte[]> ReadAsync(IFormFile file, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
