using Microsoft.Extensions.Logging;
using SupplyChain.Http;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Oci.Registry;

/// <summary>Options of <see cref="OciRegistryClient"/>. Every property has a safe default; the client validates them (<c>SC4019</c>).</summary>
public sealed record OciRegistryClientOptions
{
    /// <summary>
    /// The transport (wrap it to count or observe requests), or <c>null</c> for a pooled <see cref="SocketsHttpHandler"/>
    /// (<see cref="BoundedHttpClient.CreateDefaultTransport"/>). The caller disposes it. Redirects are followed by the
    /// client (credentials never follow one to another origin): a given transport should not follow them itself.
    /// </summary>
    public HttpMessageHandler? Transport { get; init; }

    /// <summary>Where the client logs its requests (method, host, path, status, attempt, duration; never headers or query strings), or <c>null</c>.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for token expiry and retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where credentials come from, or <c>null</c> for anonymous access only.</summary>
    public IRegistryCredentialSource? Credentials { get; init; }

    /// <summary>Allow plain HTTP to every registry (<c>--allow-insecure-registry</c> without a host list). Loopback hosts always use plain HTTP.</summary>
    public bool AllowInsecureRegistries { get; init; }

    /// <summary>Registries (<c>host[:port]</c>) reached over plain HTTP although they are not loopback.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>How requests are retried on 429, 5xx and network errors, and how long one attempt (headers and body) may take: four attempts of 30 s, 30 s of waits in all, by default.</summary>
    public HttpRetryPolicy Retry { get; init; } = HttpRetryPolicy.Default;

    /// <summary>Largest blob <see cref="OciRegistryClient.GetBlobAsync"/> reads (blobs are returned in memory); 64 MiB by default, at most 1 GiB.</summary>
    public long MaxBlobBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Blobs larger than this are uploaded in chunks (PATCH with Content-Range); 8 MiB by default.</summary>
    public int ChunkedUploadThreshold { get; init; } = 8 * 1024 * 1024;

    /// <summary>The chunk size of a chunked upload (raised to the registry's <c>OCI-Chunk-Min-Length</c>); 4 MiB by default.</summary>
    public int ChunkSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>Page size (<c>n</c>) asked for when listing tags, or 0 to let the registry choose.</summary>
    public int TagPageSize { get; init; }

    /// <summary>Bytes of digest-addressed manifests and blobs kept in memory (immutable content, for warm verification); 0 turns the cache off. 16 MiB by default.</summary>
    public long ContentCacheBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// How long after writing the referrers tag-schema index the client re-reads it to check that no concurrent writer
    /// dropped its descriptor (distribution 2.8 has no conditional PUT). Must exceed a read-modify-write round trip.
    /// </summary>
    public TimeSpan ReferrersIndexSettleDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The User-Agent header.</summary>
    public string UserAgent { get; init; } = "SupplyChain-Oci/0.1";
}
