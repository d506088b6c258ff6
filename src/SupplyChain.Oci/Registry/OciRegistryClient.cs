using System.Net.Http.Headers;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Transport;

namespace SupplyChain.Oci.Registry;

/// <summary>
/// The registry client (OCI distribution spec 1.1, and what Docker Hub, GHCR and distribution 2.8 actually do). One
/// long-lived, thread-safe instance serves every registry: it caches bearer tokens per registry and scope, and
/// digest-addressed content in a bounded cache. Every manifest and blob it returns matched its digest and limits.
/// </summary>
public sealed partial class OciRegistryClient : IOciRegistry, IDisposable
{
    private readonly OciRegistryClientOptions _options;
    private readonly RegistryTransport _transport;
    private readonly ContentCache? _cache;
    private readonly SemaphoreSlim[] _indexLocks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>Creates a client; throws <c>SC4019</c> when <paramref name="options"/> are invalid.</summary>
    /// <param name="options">The options, or <c>null</c> for the defaults (anonymous, HTTPS, default retries).</param>
    public OciRegistryClient(OciRegistryClientOptions? options = null)
    {
        _options = options ?? new OciRegistryClientOptions();
        Validate(_options);
        _transport = new RegistryTransport(_options);
        _cache = _options.ContentCacheBytes > 0 ? new ContentCache(_options.ContentCacheBytes) : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _transport.Dispose();
        foreach (SemaphoreSlim semaphore in _indexLocks)
        {
            semaphore.Dispose();
        }
    }

    private static void Validate(OciRegistryClientOptions options)
    {
        string? problem =
            options.TimeProvider is null ? "TimeProvider is null"
            : options.Retry is null || !options.Retry.IsValid ? "the retry policy is invalid (1..10 attempts, non-negative delays, positive timeout)"
            : options.MaxBlobBytes is <= 0 or > Limits.MaxBlobBytesCeiling ? $"MaxBlobBytes must be in 1..{Limits.MaxBlobBytesCeiling}"
            : options.ChunkSize <= 0 || options.ChunkedUploadThreshold <= 0 ? "ChunkSize and ChunkedUploadThreshold must be positive"
            : options.TagPageSize < 0 || options.ContentCacheBytes < 0 ? "TagPageSize and ContentCacheBytes must not be negative"
            : options.ReferrersIndexSettleDelay < TimeSpan.Zero ? "ReferrersIndexSettleDelay must not be negative"
            : options.InsecureRegistries is null ? "InsecureRegistries is null"
            : string.IsNullOrWhiteSpace(options.UserAgent) || options.UserAgent.AsSpan().ContainsAny('\r', '\n') ? "UserAgent must be one non-empty line"
            : null;
        if (problem is not null)
        {
            throw OciErrors.ClientOptionsInvalid.ToException(problem);
        }
    }

    /// <summary><c>{scheme}://{api host}/v2/{repository}{path}</c>.</summary>
    private Uri Url(ImageReference repository, string path) => new(_transport.Endpoints.Base(repository.ApiHost), "/v2/" + repository.Repository + path);

    private static HttpRequestMessage Request(HttpMethod method, Uri url, string? accept = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return request;
    }

    private static ReadOnlyMemoryContent Body(ReadOnlyMemory<byte> bytes, string mediaType)
    {
        var content = new ReadOnlyMemoryContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>Resolves a Location header against the request URL and checks its scheme (<c>SC4018</c>, <c>SC4009</c>).</summary>
    private Uri Location(HttpAnswer response, Uri requestUrl, string what)
    {
        Uri location = response.Headers.Location ?? throw OciErrors.RegistryResponseMalformed.ToException($"{what}: no Location header");
        if (!location.IsAbsoluteUri)
        {
            location = new Uri(requestUrl, location);
        }

        _transport.Endpoints.Check(location, what + " Location");
        return location;
    }

    /// <summary>Appends <c>name=value</c> to a URL's query (upload locations carry their own state in it).</summary>
    private static Uri WithQuery(Uri url, string name, string value)
    {
        var builder = new UriBuilder(url);
        string existing = builder.Query.TrimStart('?');
        builder.Query = (existing.Length > 0 ? existing + "&" : string.Empty) + name + "=" + Uri.EscapeDataString(value);
        return builder.Uri;
    }
}
