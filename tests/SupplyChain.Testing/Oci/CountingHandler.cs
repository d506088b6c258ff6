namespace SupplyChain.Testing.Oci;

/// <summary>Counts the requests that pass through it (for request-count assertions and the benchmark), then forwards them.</summary>
public sealed class CountingHandler : DelegatingHandler
{
    private int _count;

    /// <summary>Forwards to a fresh <see cref="SocketsHttpHandler"/>.</summary>
    public CountingHandler()
        : base(new SocketsHttpHandler())
    {
    }

    /// <summary>How many requests were sent so far.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Sets the count back to zero.</summary>
    public void Reset() => Interlocked.Exchange(ref _count, 0);

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return base.SendAsync(request, cancellationToken);
    }
}
