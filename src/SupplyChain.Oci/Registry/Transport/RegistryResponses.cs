using System.Net;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>Reads registry answers within limits, and turns error answers into coded exceptions with the registry's error codes.</summary>
internal static class RegistryResponses
{
    /// <summary>Reads the body, failing with <c>SC4007</c> past <paramref name="maxBytes"/> (stops reading there: never buffers more).</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{what}: Content-Length {length}, limit {maxBytes}");
        }

        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The exception for an unexpected answer: 401/403 are <c>SC4004</c>, 429 <c>SC4005</c>, anything else <c>SC4003</c>;
    /// the message quotes the distribution error codes (spec: <c>{"errors":[{"code":...,"message":...}]}</c>), never headers.
    /// </summary>
    public static async Task<SupplyChainException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        string detail = await ErrorDetailAsync(response, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        string message = $"{what}: HTTP {status}{detail}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => OciErrors.RegistryAuthFailed.ToException(message),
            HttpStatusCode.TooManyRequests => OciErrors.RegistryThrottled.ToException(message),
            _ => OciErrors.RegistryStatus.ToException(message),
        };
    }

    private static async Task<string> ErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await ReadLimitedAsync(response.Content, Limits.MaxSmallResponseBytes, "error body", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SupplyChainException or HttpRequestException or IOException)
        {
            return string.Empty;
        }

        try
        {
            if (JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ErrorBodyJson)?.Errors is { Count: > 0 } errors)
            {
                var text = new StringBuilder(" (");
                text.AppendJoin("; ", errors.Take(5).Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : $"{e.Code}: {e.Message}"));
                text.Append(')');
                string s = text.ToString();
                return s.Length <= Limits.MaxErrorDetailChars ? s : s[..Limits.MaxErrorDetailChars] + "...)";
            }
        }
        catch (JsonException)
        {
            // Not a distribution error body (an HTML page from a proxy, say): the status alone is reported.
        }

        return string.Empty;
    }

    /// <summary>The first distribution error code of a body already known to be small, or <c>null</c>.</summary>
    public static string? FirstErrorCode(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ErrorBodyJson)?.Errors?.FirstOrDefault()?.Code;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A header's single value, or <c>null</c>.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault()
        : null;
}
