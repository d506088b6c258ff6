using System.Diagnostics;
using System.Text;
using System.Text.Json;
using SupplyChain.Oci.Registry.Manifests;

namespace SupplyChain.Oci.Registry.Auth;

/// <summary>
/// Runs <c>docker-credential-NAME get</c> (docker-credential-helpers protocol: the server URL on standard input, a JSON
/// <c>{"ServerURL","Username","Secret"}</c> on standard output; <c>Username</c> <c>&lt;token&gt;</c> means <c>Secret</c>
/// is an identity token). "credentials not found" means anonymous; any other failure is <c>SC4010</c>, whose message
/// names the helper and exit code only (its output may hold secrets).
/// </summary>
internal sealed class CredentialHelperRunner
{
    private readonly string _searchPath;
    private readonly TimeSpan _timeout;

    public CredentialHelperRunner(string searchPath, TimeSpan timeout)
    {
        _searchPath = searchPath;
        _timeout = timeout;
    }

    public async Task<RegistryCredential?> GetAsync(string helper, string serverUrl, CancellationToken cancellationToken)
    {
        if (helper.Length is 0 or > 64 || !helper.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw OciErrors.CredentialHelperFailed.ToException($"the helper name {ManifestReader.Quote(helper)} is not [A-Za-z0-9._-]+");
        }

        string name = "docker-credential-" + helper;
        string path = Find(name) ?? throw OciErrors.CredentialHelperFailed.ToException($"{name} is not on the search path");
        var start = new ProcessStartInfo(path, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (SystemException ex) when (ex is not OperationCanceledException)
        {
            throw OciErrors.CredentialHelperFailed.ToException($"{name} cannot be started", ex);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            Task<string> stdout = ReadLimitedAsync(process.StandardOutput, timeout.Token);
            Task<string> stderr = ReadLimitedAsync(process.StandardError, timeout.Token);
            try
            {
                await process.StandardInput.WriteAsync(serverUrl.AsMemory(), timeout.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // A helper that answers without reading its input (it exited): its answer and exit code decide.
            }

            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            string output = await stdout.ConfigureAwait(false);
            string error = await stderr.ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                // docker-credential-helpers credentials.ErrCredentialsNotFound: "credentials not found in native keychain".
                if ((output + error).Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
                {
                    return null;
                }

                throw OciErrors.CredentialHelperFailed.ToException($"{name} exited with code {process.ExitCode}");
            }

            return Parse(name, output);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            throw OciErrors.CredentialHelperFailed.ToException($"{name} did not answer within {_timeout.TotalSeconds:0.###} s", ex);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
        catch (IOException ex)
        {
            Kill(process);
            throw OciErrors.CredentialHelperFailed.ToException($"{name}: its standard streams failed", ex);
        }
    }

    private static RegistryCredential? Parse(string name, string output)
    {
        CredentialHelperJson? answer;
        try
        {
            answer = JsonSerializer.Deserialize(output, RegistryJsonContext.Default.CredentialHelperJson);
        }
        catch (JsonException ex)
        {
            throw OciErrors.CredentialHelperFailed.ToException($"{name} printed something that is not its JSON answer", ex);
        }

        if (answer is null || string.IsNullOrEmpty(answer.Secret))
        {
            throw OciErrors.CredentialHelperFailed.ToException($"{name} answered without a Secret");
        }

        return answer.Username == "<token>" ? RegistryCredential.FromIdentityToken(answer.Secret)
            : string.IsNullOrEmpty(answer.Username) ? throw OciErrors.CredentialHelperFailed.ToException($"{name} answered without a Username")
            : RegistryCredential.FromPassword(answer.Username, answer.Secret);
    }

    private string? Find(string name)
    {
        foreach (string dir in _searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<string> ReadLimitedAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        char[] buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (text.Length + read > Limits.MaxCredentialHelperOutputBytes)
            {
                throw OciErrors.CredentialHelperFailed.ToException($"the helper printed more than {Limits.MaxCredentialHelperOutputBytes} characters");
            }

            text.Append(buffer, 0, read);
        }

        return text.ToString();
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
