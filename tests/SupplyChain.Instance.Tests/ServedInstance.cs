using System.Text.Json.Nodes;
using SupplyChain.Core.Trust;

namespace SupplyChain.Instance.Tests;

/// <summary>A temporary instance served on 127.0.0.1 (a free port), with a signing config naming the real URL.</summary>
public sealed class ServedInstance : IAsyncDisposable
{
    private ServedInstance(TempInstance temp, LocalInstanceServer server, string signingConfigPath)
    {
        Temp = temp;
        Server = server;
        SigningConfigPath = signingConfigPath;
    }

    public TempInstance Temp { get; }

    public LocalInstanceServer Server { get; }

    public Uri Url => Server.Url;

    /// <summary>signing_config.json with the served port.</summary>
    public string SigningConfigPath { get; }

    public SigningConfig SigningConfig => SigningConfig.Parse(File.ReadAllBytes(SigningConfigPath));

    public static async Task<ServedInstance> StartAsync(TempInstance? temp = null)
    {
        temp ??= new TempInstance();
        LocalInstanceServer server = await temp.Instance.ServeAsync(0);
        string base_ = server.Url.AbsoluteUri.TrimEnd('/');
        JsonNode config = JsonNode.Parse(File.ReadAllText(temp.Instance.SigningConfigPath))!;
        foreach (string list in new[] { "caUrls", "oidcUrls", "rekorTlogUrls", "tsaUrls" })
        {
            foreach (JsonNode? service in config[list]!.AsArray())
            {
                service!["url"] = ((string)service["url"]!).Replace(temp.Instance.ServeUrl.AbsoluteUri.TrimEnd('/'), base_, StringComparison.Ordinal);
            }
        }

        string path = Path.Combine(temp.Directory, "served_signing_config.json");
        File.WriteAllText(path, config.ToJsonString());
        return new ServedInstance(temp, server, path);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Temp.Dispose();
    }
}
