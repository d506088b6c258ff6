using System.Net;
using System.Net.Sockets;

namespace SupplyChain.Testing.Oci;

/// <summary>A TCP listener on 127.0.0.1 that accepts every connection and never answers; counts what it accepted.</summary>
public sealed class Tarpit : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();
    private int _accepted;

    public string Host => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public int Accepted => Volatile.Read(ref _accepted);

    public static Tarpit Start()
    {
        var tarpit = new Tarpit();
        tarpit._listener.Start();
        _ = tarpit.AcceptAsync();
        return tarpit;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
        {
            _held.ForEach(c => c.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                Interlocked.Increment(ref _accepted);
                lock (_held)
                {
                    _held.Add(client);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }
}
