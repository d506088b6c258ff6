namespace SupplyChain.Signing.Oidc;

/// <summary>Reads environment variables; injected so that CI detection can be tested.</summary>
public interface IEnvironmentVariables
{
    /// <summary>The variable's value, or <see langword="null"/> when it is unset.</summary>
    /// <param name="name">The variable name.</param>
    string? GetVariable(string name);
}

/// <summary>The process environment.</summary>
public sealed class ProcessEnvironmentVariables : IEnvironmentVariables
{
    /// <summary>The shared instance.</summary>
    public static ProcessEnvironmentVariables Instance { get; } = new();

    private ProcessEnvironmentVariables()
    {
    }

    /// <inheritdoc />
    public string? GetVariable(string name) => Environment.GetEnvironmentVariable(name);
}
