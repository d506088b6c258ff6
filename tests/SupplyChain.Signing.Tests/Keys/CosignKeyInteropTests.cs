using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using SupplyChain.Signing;
using SupplyChain.Signing.Keys;
using SupplyChain.Testing;
using static SupplyChain.Signing.Tests.Keys.KeyTestSupport;
using static SupplyChain.Testing.ErrorAssert;

namespace SupplyChain.Signing.Tests.Keys;

/// <summary>
/// Cross-checks the cosign key format against an independent implementation (tests/interop/cosign-keys: node
/// crypto.scrypt + tweetnacl secretbox), in both directions.
/// </summary>
public sealed class CosignKeyInteropTests : IDisposable
{
    private static readonly string Folder = Path.Combine(TestPaths.RepositoryRoot, "tests", "interop", "cosign-keys");
    private readonly string _dir = Directory.CreateTempSubdirectory("sckeys").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [NodeInteropFact("cosign-keys")]
    public void Keys_we_write_open_with_tweetnacl()
    {
        using KeyFileSigner signer = KeyFileSigner.GenerateEcdsaP256();
        string keyPath = Path.Combine(_dir, "cosign.key");
        File.WriteAllText(keyPath, signer.ExportCosignEncryptedPem("interop pässword"u8));
        string passwordPath = Path.Combine(_dir, "password");
        File.WriteAllBytes(passwordPath, "interop pässword"u8.ToArray());

        (int exit, string output) = RunNode("open", keyPath, passwordPath);
        Assert.True(exit == 0, output);
        string spki = JsonDocument.Parse(output).RootElement.GetProperty("spki").GetString()!;
        Assert.Equal(Convert.ToBase64String(signer.PublicKeySpki.Span), spki);

        File.WriteAllBytes(passwordPath, "wrong"u8.ToArray());
        (exit, output) = RunNode("open", keyPath, passwordPath);
        Assert.True(exit == 3, output);
    }

    [NodeInteropFact("cosign-keys")]
    public void Keys_tweetnacl_writes_open_with_us()
    {
        using RSA rsa = RSA.Create(2048);
        string derPath = Path.Combine(_dir, "key.der");
        File.WriteAllBytes(derPath, rsa.ExportPkcs8PrivateKey());
        string passwordPath = Path.Combine(_dir, "password");
        File.WriteAllBytes(passwordPath, "from node"u8.ToArray());

        (int exit, string pem) = RunNode("seal", derPath, passwordPath);
        Assert.True(exit == 0, pem);
        using KeyFileSigner signer = KeyFileSigner.FromPem(pem, "from node"u8.ToArray());
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), signer.PublicKeySpki.ToArray());
        AssertSignsAndVerifies(signer);
        AssertCode(SigningErrors.PrivateKeyPasswordIncorrect, () => KeyFileSigner.FromPem(pem, "from nodE"u8.ToArray()));
    }

    private static (int ExitCode, string Output) RunNode(params string[] arguments)
    {
        var start = new ProcessStartInfo(NodeInterop.NodeExecutable!)
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("cosign-key.mjs");
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("node did not finish within 120 s");
        }

        return (process.ExitCode, process.ExitCode == 0 ? stdout.Result : stdout.Result + stderr.Result);
    }
}
