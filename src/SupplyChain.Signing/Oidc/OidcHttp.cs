using System.Net.Http.Headers;
using System.Text.Json;
using SupplyChain.Core.Errors;

namespace SupplyChain.Signing.Oidc;

/// <summary>Bounded reads of JSON and text responses. Messages never include response bodies (they may hold tokens).</summary>
internal static class OidcHttp
{
    public static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, ErrorCode error, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is > OidcLimits.MaxResponseBytes)
        {
            throw error.ToException("the response exceeds the size limit");
        }

        using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > OidcLimits.MaxResponseBytes)
            {
                throw error.ToException("the response exceeds the size limit");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, ErrorCode error, CancellationToken cancellationToken)
    {
        byte[] body = await ReadBoundedAsync(response, error, cancellationToken).ConfigureAwait(false);
        try
        {
            JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                doc.Dispose();
                throw error.ToException("the response is not a JSON object");
            }

            return doc;
        }
        catch (JsonException e)
        {
            throw error.ToException("the response is not JSON", e);
        }
    }

    public static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static int? GetInt(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) ? i : null;

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, ErrorCode error, string what, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw error.ToException($"{what} failed: {e.HttpRequestError}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw error.ToException($"{what} timed out", e);
        }
    }
}
