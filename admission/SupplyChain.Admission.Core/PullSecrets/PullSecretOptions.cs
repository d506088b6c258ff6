namespace SupplyChain.Admission.PullSecrets;

/// <summary>
/// How the webhook reads the pull secrets Kubernetes would use for a pod (docs/admission.md, "Private registries"):
/// through the Kubernetes API with the webhook's own service account (in-cluster by default), cached for a short time.
/// </summary>
public sealed record PullSecretOptions
{
    /// <summary>The API server, or <c>null</c> for the in-cluster one (<c>KUBERNETES_SERVICE_HOST</c>/<c>PORT</c>, the mounted token and CA).</summary>
    public Uri? ApiServer { get; init; }

    /// <summary>A bearer token file for <see cref="ApiServer"/> (re-read as it rotates), or <c>null</c> for none.</summary>
    public string? TokenFile { get; init; }

    /// <summary>How long a secret or a service account read is reused: 60 seconds by default (a rotated secret is used within it).</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most pull secrets read for one pod (its own and its service account's); more is <c>SC7031</c>.</summary>
    public int MaxSecretsPerPod { get; init; } = 16;

    /// <summary>The clock of the cache.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
