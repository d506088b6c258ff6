using System.ComponentModel;
using System.Diagnostics;

namespace SupplyChain.Signing.Oidc;

/// <summary>Runs a CI tool (<c>buildkite-agent</c>, <c>circleci</c>) and returns its standard output; injected for tests.</summary>
public interface ICommandRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    /// <param name="fileName">The executable, looked up on PATH.</param>
    /// <param name="arguments">The arguments, passed without a shell.</param>
    /// <param name="timeout">How long the command may run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>The exit code and the standard output.</returns>
    Task<(int ExitCode, string StandardOutput)> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>Runs commands with <see cref="Process"/>.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    /// <summary>The shared instance.</summary>
    public static ProcessCommandRunner Instance { get; } = new();

    private ProcessCommandRunner()
    {
    }

    /// <inheritdoc />
    public async Task<(int ExitCode, string StandardOutput)> RunAsync(string fileName, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw SigningErrors.AmbientTokenRequestFailed.ToException($"{fileName} did not start");
        }
        catch (Win32Exception e)
        {
            throw SigningErrors.AmbientTokenRequestFailed.ToException($"{fileName} cannot be run", e);
        }

        using (process)
        {
            using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeoutSource.CancelAfter(timeout);
            try
            {
                Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
                Task<string> stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
                await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
                _ = await stderr.ConfigureAwait(false);
                return (process.ExitCode, await stdout.ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw SigningErrors.AmbientTokenRequestFailed.ToException($"{fileName} did not finish within {timeout.TotalSeconds:0} s");
            }
        }
    }
}
