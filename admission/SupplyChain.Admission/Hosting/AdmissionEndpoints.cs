using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SupplyChain.Admission.Hosting.Metrics;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's endpoints as minimal APIs (Hosting/README.md): <c>POST /validate</c>, <c>GET /healthz</c>,
/// <c>GET /readyz</c>, <c>GET /metrics</c>. Paths are exact (case and trailing slash included: routing alone would
/// accept <c>/Validate/</c>), any other is 404 <c>SC7211</c>; another method on a known path is 405 <c>SC7212</c> with
/// <c>Allow</c>.
/// </summary>
internal static class AdmissionEndpoints
{
    private static readonly Dictionary<string, string> Methods = new(StringComparer.Ordinal)
    {
        ["/validate"] = HttpMethods.Post,
        ["/healthz"] = HttpMethods.Get,
        ["/readyz"] = HttpMethods.Get,
        ["/metrics"] = HttpMethods.Get,
    };

    public static void Map(WebApplication app, ValidateHandler handler, Func<bool> ready, AdmissionMetrics metrics)
    {
        app.Use((context, next) =>
        {
            string path = context.Request.Path.Value ?? "/";
            return Methods.ContainsKey(path)
                ? next(context)
                : ValidateHandler.WriteTextAsync(context, StatusCodes.Status404NotFound, AdmissionErrors.PathNotFound.ToException(path.Length > 64 ? path[..64] : path).Message);
        });

        app.MapPost("/validate", handler.HandleAsync);
        app.MapGet("/healthz", context => ValidateHandler.WriteTextAsync(context, StatusCodes.Status200OK, "ok"));
        app.MapGet("/readyz", context => ready()
            ? ValidateHandler.WriteTextAsync(context, StatusCodes.Status200OK, "ready")
            : ValidateHandler.WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, AdmissionErrors.NotReady.ToException().Message));
        app.MapGet("/metrics", context => WriteMetricsAsync(context, metrics));

        // Any other method on a known path: below the endpoints above in precedence (order 1), so only it matches.
        foreach ((string path, string allowed) in Methods)
        {
            app.Map(path, context =>
            {
                string method = context.Request.Method;
                context.Response.Headers.Allow = allowed;
                return ValidateHandler.WriteTextAsync(context, StatusCodes.Status405MethodNotAllowed, AdmissionErrors.MethodNotAllowed.ToException($"{(method.Length > 16 ? method[..16] : method)} {path}").Message);
            }).WithOrder(1);
        }
    }

    private static async Task WriteMetricsAsync(HttpContext context, AdmissionMetrics metrics)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(metrics.Render());
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }
}
