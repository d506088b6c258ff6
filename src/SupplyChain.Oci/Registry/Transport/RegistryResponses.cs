using System.Net;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// Reads registry answers within limits, and turns error answers into coded exceptions. Remote text (error bodies,
/// header values) never goes into an exception's message, only into its <see cref="SupplyChainException.RemoteDetail"/>.
/// </summary>
internal static class RegistryResponses
{
    /// <summary>
    /// Reads the body, failing with <c>SC4007</c> past <paramref name="maxBytes"/> (stops reading there: never buffers
    /// more). When the length is known beforehand (<paramref name="expectedBytes"/>, such as a descriptor's size, else
    /// Content-Length), the body is read into one buffer of exactly that size, and a byte beyond it is <c>SC4007</c>.
    /// </summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpContent content, long maxBytes, long? expectedBytes, string what, CancellationToken cancellationToken)
    {
        long? declared = content.Headers.ContentLength;
        if (declared is { } length && length > maxBytes)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{what}: Content-Length {length}, limit {maxBytes}");
        }

        long? expected = expectedBytes ?? declared;
        using Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        return expected is { } size && size <= maxBytes
            ? await ReadExactAsync(stream, (int)size, what, cancellationToken).ConfigureAwait(false)
            : await ReadGrowingAsync(stream, maxBytes, what, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Up to <paramref name="size"/> bytes into one buffer; shorter when the body ends early (the caller's digest check then fails).</summary>
    private static async Task<byte[]> ReadExactAsync(Stream stream, int size, string what, CancellationToken cancellationToken)
    {
        byte[] buffer = GC.AllocateUninitializedArray<byte>(size);
        int filled = await stream.ReadAtLeastAsync(buffer, size, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (filled < size)
        {
            return buffer[..filled];
        }

        byte[] probe = new byte[1];
        if (await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0)
        {
            throw OciErrors.SizeLimitExceeded.ToException($"{what}: more than the {size} bytes declared");
        }

        return buffer;
    }

    private static async Task<byte[]> ReadGrowingAsync(Stream stream, long maxBytes, string what, CancellationToken cancellationToken)
    {
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
    /// The exception for an unexpected answer: 401/403 are <c>SC4004</c>, 429 <c>SC4005</c>, anything else <c>SC4003</c>.
    /// The message names the request and the status only; the registry's error body (distribution spec:
    /// <c>{"errors":[{"code":...,"message":...}]}</c>, or any other text) goes into the exception's
    /// <see cref="SupplyChainException.RemoteDetail"/>. The body is read within <paramref name="timeout"/> (a registry
    /// trickling it cannot hold the caller) and at most <see cref="Limits.MaxErrorBodyBytes"/>; never headers.
    /// </summary>
    public static async Task<SupplyChainException> ErrorAsync(HttpResponseMessage response, string what, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        string? remote = await ErrorDetailAsync(response, timeout, time, cancellationToken).ConfigureAwait(false);
        int status = (int)response.StatusCode;
        string message = $"{what}: HTTP {status} ({status / 100}xx)";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => OciErrors.RegistryAuthFailed.ToException(message, null, remote),
            HttpStatusCode.TooManyRequests => OciErrors.RegistryThrottled.ToException(message, null, remote),
            _ => OciErrors.RegistryStatus.ToException(message, null, remote),
        };
    }

    /// <summary>Remote text for <see cref="SupplyChainException.RemoteDetail"/>: a header value or body excerpt, control characters replaced, shortened.</summary>
    public static string Remote(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, Limits.MaxErrorDetailChars + 3));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, Limits.MaxErrorDetailChars)))
        {
            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.Length > Limits.MaxErrorDetailChars ? clean.Append("...").ToString() : clean.ToString();
    }

    private static async Task<string?> ErrorDetailAsync(HttpResponseMessage response, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        byte[] body;
        using (var deadline = new CancellationTokenSource(timeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token))
        {
            try
            {
                body = await ReadLimitedAsync(response.Content, Limits.MaxErrorBodyBytes, null, "error body", linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"(the error body did not arrive within {timeout.TotalSeconds:0.###} s)";
            }
            catch (Exception ex) when (ex is SupplyChainException or HttpRequestException or IOException)
            {
                return null;
            }
        }

        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            if (JsonSerializer.Deserialize(body, RegistryJsonContext.Default.ErrorBodyJson)?.Errors is { Count: > 0 } errors)
            {
                return Remote(string.Join("; ", errors.Take(5).Select(e => string.IsNullOrEmpty(e.Message) ? e.Code : $"{e.Code}: {e.Message}")));
            }
        }
        catch (JsonException)
        {
            // Not a distribution error body (an HTML page from a proxy, say): an excerpt of the text.
        }

        return Remote(Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, Limits.MaxErrorDetailChars * 4))));
    }

    /// <summary>A header's single value, or <c>null</c>.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out values) ? values.FirstOrDefault()
        : null;
}
