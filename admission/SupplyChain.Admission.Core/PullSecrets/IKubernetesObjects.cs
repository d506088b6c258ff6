namespace SupplyChain.Admission.PullSecrets;

/// <summary>The two reads pull secrets need from the Kubernetes API (RBAC: <c>get</c> on <c>secrets</c> and <c>serviceaccounts</c>, nothing else).</summary>
public interface IKubernetesObjects
{
    /// <summary>A secret's type and data, or <c>null</c> when it does not exist (404).</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The secret's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The secret, or <c>null</c>.</returns>
    Task<KubernetesSecret?> GetSecretAsync(string namespaceName, string name, CancellationToken cancellationToken);

    /// <summary>The names of a service account's <c>imagePullSecrets</c>, or <c>null</c> when it does not exist (404).</summary>
    /// <param name="namespaceName">The namespace.</param>
    /// <param name="name">The service account's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The names, or <c>null</c>.</returns>
    Task<IReadOnlyList<string>?> GetServiceAccountPullSecretsAsync(string namespaceName, string name, CancellationToken cancellationToken);
}

/// <summary>A secret as read: its type and its data (never logged).</summary>
/// <param name="Type">The secret's <c>type</c>, such as <c>kubernetes.io/dockerconfigjson</c>.</param>
/// <param name="Data">Its <c>data</c>, decoded.</param>
public sealed record KubernetesSecret(string? Type, IReadOnlyDictionary<string, byte[]> Data);
