using SupplyChain.Core.Errors;
using SupplyChain.Policy.Model;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The policy file (docs/policy.md), re-read on every poll and reloaded when its content (SHA-256) changes; a
/// ConfigMap update swaps the mount's <c>..data</c> symlink, which a content hash sees. A new version that does not
/// load (SC7206 with the policy's own code inside) is rejected once and the old policy stays.
/// </summary>
internal sealed class PolicyStore
{
    private const int MaxPolicyFileBytes = 4 * 1024 * 1024;
    private readonly string _path;
    private string? _fingerprint;
    private string? _rejected;
    private ImagePolicy? _current;

    public PolicyStore(string path)
    {
        _path = path;
    }

    /// <summary>The policy in use, or <c>null</c> before one loaded.</summary>
    public ImagePolicy? Current => Volatile.Read(ref _current);

    public ReloadOutcome Poll()
    {
        byte[] content;
        try
        {
            content = WatchedFile.Read(_path, MaxPolicyFileBytes, AdmissionErrors.PolicyUnusable);
        }
        catch (SupplyChainException ex)
        {
            return new ReloadOutcome("policy", ReloadResult.Failed, ex);
        }

        string fingerprint = WatchedFile.Fingerprint(content);
        if (fingerprint == _fingerprint || fingerprint == _rejected)
        {
            return new ReloadOutcome("policy", ReloadResult.Unchanged);
        }

        try
        {
            ImagePolicy policy = ImagePolicy.Load(_path);
            Volatile.Write(ref _current, policy);
            _fingerprint = fingerprint;
            _rejected = null;
            return new ReloadOutcome("policy", ReloadResult.Reloaded);
        }
        catch (SupplyChainException ex)
        {
            _rejected = fingerprint;
            return new ReloadOutcome("policy", ReloadResult.Failed, AdmissionErrors.PolicyUnusable.ToException($"{_path}: {ex.Message}", ex));
        }
    }
}
