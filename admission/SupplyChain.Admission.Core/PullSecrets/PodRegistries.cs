using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Registry.Auth;

namespace SupplyChain.Admission.PullSecrets;

/// <summary>
/// Gives each pod the registry access Kubernetes would give it: its pull secrets and its service account's
/// (<see cref="PullSecretCredentials"/>). A pod with none is evaluated with the webhook's shared registry client; a set of
/// credentials gets its own registry client (its own bearer tokens: a token one pod's secret obtained never serves
/// another pod) and its own snapshot, whose verdicts are cached apart (<see cref="AdmissionSnapshot.CredentialScope"/>).
/// </summary>
public sealed class PodRegistries
{
    /// <summary>Most credential sets with a registry client kept at once (beyond, the kept ones are dropped and rebuilt on use).</summary>
    private const int MaxScopes = 256;

    private readonly PullSecretCredentials _credentials;
    private readonly Func<IRegistryCredentialSource, IOciRegistry> _registryFor;
    private readonly ConcurrentDictionary<string, IOciRegistry> _registries = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<AdmissionSnapshot, ConcurrentDictionary<string, AdmissionSnapshot>> _snapshots = [];

    /// <summary>Reads pull secrets through <paramref name="api"/>; <paramref name="registryFor"/> builds a registry client over a pod's credentials.</summary>
    /// <param name="api">The Kubernetes API reads.</param>
    /// <param name="options">Cache time and limits.</param>
    /// <param name="registryFor">A registry client whose credentials are the pod's (first) and the webhook's own (then).</param>
    public PodRegistries(IKubernetesObjects api, PullSecretOptions options, Func<IRegistryCredentialSource, IOciRegistry> registryFor)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(options);
        _credentials = new PullSecretCredentials(api, options);
        _registryFor = registryFor ?? throw new ArgumentNullException(nameof(registryFor));
    }

    /// <summary>The snapshot to evaluate <paramref name="request"/>'s images with; <c>SC7031</c> when the Kubernetes API cannot be read.</summary>
    /// <param name="snapshot">The current snapshot (the webhook's shared registry).</param>
    /// <param name="request">The request (its namespace and pod spec).</param>
    /// <param name="cancellationToken">The request's deadline.</param>
    /// <returns><paramref name="snapshot"/> itself when the pod has no pull secrets, else one over its credentials.</returns>
    public async Task<AdmissionSnapshot> ScopeAsync(AdmissionSnapshot snapshot, AdmissionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Namespace is not { Length: > 0 } namespaceName)
        {
            return snapshot;
        }

        if (await _credentials.ResolveAsync(namespaceName, PodPullSecretNames.Read(request), cancellationToken).ConfigureAwait(false) is not { } resolved)
        {
            return snapshot;
        }

        if (_registries.Count >= MaxScopes)
        {
            _registries.Clear();
        }

        IOciRegistry registry = _registries.GetOrAdd(resolved.Scope, _ => _registryFor(resolved.Source));
        ConcurrentDictionary<string, AdmissionSnapshot> derived = _snapshots.GetOrCreateValue(snapshot);
        if (derived.Count >= MaxScopes)
        {
            derived.Clear();
        }

        return derived.GetOrAdd(resolved.Scope, scope => new AdmissionSnapshot(snapshot.Policy, snapshot.Trust, snapshot.TrustRootVersion, registry, scope));
    }
}
