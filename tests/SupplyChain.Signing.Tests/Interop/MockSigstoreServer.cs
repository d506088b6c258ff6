using System.Diagnostics;
using System.Text.Json.Nodes;
using SupplyChain.Testing;

namespace SupplyChain.Signing.Tests.Interop;

/// <summary>
/// Runs tests/interop/sigstore-mock/server.mjs: the Sigstore project's @sigstore/mock Fulcio, Rekor and TSA
/// handlers on 127.0.0.1, and the trusted root made from their keys. The server exits when its stdin closes.
/// </summary>
public sealed class MockSigstoreServer : IDisposable
{
    private readonly Process _process;

    private MockSigstoreServer(Process process, Uri baseUrl, string trustedRootJson)
    {
        _process = process;
        BaseUrl = baseUrl;
        TrustedRootJson = trustedRootJson;
    }

    public static string Folder => Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "sigstore-mock");

    public Uri BaseUrl { get; }

    public string TrustedRootJson { get; }

    public static MockSigstoreServer Start()
    {
        var start = new ProcessStartInfo(NodeInterop.NodeExecutable ?? throw new InvalidOperationException("node is not on PATH"))
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("server.mjs");
        Process process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("server.mjs did not print its port: " + process.StandardError.ReadToEnd());
        }

        JsonNode info = JsonNode.Parse(line.Result)!;
        int port = (int)info["port"]!;
        return new MockSigstoreServer(process, new Uri($"http://127.0.0.1:{port}/"), info["trustedRoot"]!.ToJsonString());
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
