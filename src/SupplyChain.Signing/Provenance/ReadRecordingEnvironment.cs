using SupplyChain.Signing.Oidc;

namespace SupplyChain.Signing.Provenance;

/// <summary>
/// The environment as <see cref="CiProvenance"/> reads it, remembering which variable names were read and whether each was
/// set, so the builder can log them. It never keeps a value: tokens (ACTIONS_ID_TOKEN_REQUEST_TOKEN, CI_JOB_JWT, ...) pass
/// through and are forgotten.
/// </summary>
internal sealed class ReadRecordingEnvironment(IEnvironmentVariables inner) : IEnvironmentVariables
{
    private readonly List<(string Name, bool Set)> _read = [];

    public string? GetVariable(string name)
    {
        string? value = inner.GetVariable(name);
        lock (_read)
        {
            if (!_read.Exists(r => r.Name == name))
            {
                _read.Add((name, !string.IsNullOrEmpty(value)));
            }
        }

        return value;
    }

    /// <summary>The names read, in order, each marked set or unset: <c>GITHUB_ACTIONS (unset), GITLAB_CI (set)</c>.</summary>
    public override string ToString()
    {
        lock (_read)
        {
            return _read.Count == 0 ? "none" : string.Join(", ", _read.Select(r => r.Name + (r.Set ? " (set)" : " (unset)")));
        }
    }
}
