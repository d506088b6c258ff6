using System.Net;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Errors;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Transport;

/// <summary>
/// Turns error answers into coded exceptions. Remote text (error bodies, header values) never goes into an exception's
/// message, only into its <see cref="SupplyChainException.RemoteDetail"/>.
/// </summary>
internal static class RegistryResponses
{
    /// <summary>
    /// The exception for an unexpected answer: 401/403 are <c>SC4004</c>, 429 <c>SC4005</c>, anything else <c>SC4003</c>.
    /// The message names the request and the status only; the registry's error body (distribution spec:
    /// <c>{"errors":[{"code":...,"message":...}]}</c>, or any other text) goes into the exception's
    /// <see cref="SupplyChainException.RemoteDetail"/>. The layer read the body within the attempt's deadline (a
    /// registry trickling it cannot hold the caller) and at most <see cref="Limits.MaxErrorBodyBytes"/>; never headers.
    /// </summary>
    public static SupplyChainException Error(HttpAnswer answer, string what, TimeSpan attemptTimeout)
    {
        string? remote = answer.BodyTimedOut
            ? $"(the error body did not arrive within {attemptTimeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)} s)"
            : ErrorDetail(answer.Body);
        int status = (int)answer.StatusCode;
        string message = $"{what}: HTTP {status} ({status / 100}xx)";
        return answer.StatusCode switch
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

    private static string? ErrorDetail(byte[] body)
    {
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
}
