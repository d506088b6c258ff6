using System.Net;
using Microsoft.Extensions.Logging;
using SupplyChain.Admission.Evaluation;
using SupplyChain.Admission.Review;
using SupplyChain.Oci.Registry;
using SupplyChain.Tuf;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// Options of <see cref="AdmissionServer"/> (the command-line flags of <c>Hosting/README.md</c> map onto them).
/// Trust material comes from <see cref="TrustedRootPath"/> when set (air-gapped clusters), else from the TUF
/// repository <see cref="TufRepositoryUrl"/> (default: the Sigstore production repository with the embedded root).
/// </summary>
public sealed class AdmissionServerOptions
{
    /// <summary>The address and port to listen on (HTTPS only). Default <c>0.0.0.0:8443</c>; tests use <c>127.0.0.1:0</c>.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, 8443);

    /// <summary>The TLS certificate (PEM; the leaf first). Reloaded when it changes.</summary>
    public required string TlsCertificatePath { get; init; }

    /// <summary>The TLS private key (PEM). Reloaded when it changes.</summary>
    public required string TlsKeyPath { get; init; }

    /// <summary>The policy file (docs/policy.md). Reloaded when it changes.</summary>
    public required string PolicyPath { get; init; }

    /// <summary>A mounted <c>trusted_root.json</c> (reloaded when it changes); <c>null</c> uses TUF.</summary>
    public string? TrustedRootPath { get; init; }

    /// <summary>The TUF repository. Default: the Sigstore production repository.</summary>
    public Uri TufRepositoryUrl { get; init; } = TufClientOptions.ProductionUrl;

    /// <summary>The TUF initial <c>root.json</c>; <c>null</c> uses the root embedded for the production (or staging) repository.</summary>
    public string? TufInitialRootPath { get; init; }

    /// <summary>The TUF cache folder; <c>null</c> keeps the TUF metadata in memory.</summary>
    public string? TufCacheDirectory { get; init; }

    /// <summary>How often the trusted root is refreshed from TUF. Default 24 hours.</summary>
    public TimeSpan TufRefreshInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How soon a failed TUF refresh (or a first fetch that failed) is retried. Default 1 minute.</summary>
    public TimeSpan TufRetryInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The transport of the TUF client (tests); <c>null</c> for the default.</summary>
    public HttpMessageHandler? TufTransport { get; init; }

    /// <summary>
    /// The platforms the cluster's nodes run (<c>--platform</c>): an index's other platforms can never run here and are
    /// not evaluated. <c>null</c> (the default): every platform an index lists must pass, unless the pod pins its own.
    /// </summary>
    public IReadOnlyList<OciPlatform>? Platforms { get; init; }

    /// <summary>The registry client options, used as given when set (then the other registry options are ignored).</summary>
    public OciRegistryClientOptions? Registry { get; init; }

    /// <summary>A registry to use instead of building an <see cref="OciRegistryClient"/> (tests: the in-memory registry). Not disposed by the server.</summary>
    public IOciRegistry? RegistryClient { get; init; }

    /// <summary>A Docker <c>config.json</c> with registry credentials (an image pull secret mounted as a file); <c>null</c> for anonymous access.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>Read each pod's pull secrets (and its service account's) through the Kubernetes API and pull its images with them (<c>--pull-secrets</c>); <c>null</c> (the default) for off.</summary>
    public PullSecrets.PullSecretOptions? PullSecrets { get; init; }

    /// <summary>The Kubernetes API reads of <see cref="PullSecrets"/> (tests: a stub); <c>null</c> to connect as <see cref="PullSecrets"/> says.</summary>
    public PullSecrets.IKubernetesObjects? KubernetesObjects { get; init; }

    /// <summary>Registries (<c>host[:port]</c>) spoken to over plain HTTP.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = [];

    /// <summary>The transport of the registry client (tests); <c>null</c> for the default.</summary>
    public HttpMessageHandler? RegistryTransport { get; init; }

    /// <summary>The most verdicts cached. Default 10,000.</summary>
    public int CacheMaxEntries { get; init; } = 10_000;

    /// <summary>How long an allowed verdict is cached. Default 5 minutes.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a denial is cached. Default 30 seconds.</summary>
    public TimeSpan CacheDeniedTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a registry failure is cached; zero never caches it. Default 5 seconds.</summary>
    public TimeSpan CacheFailureTtl { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The budget of one shared image evaluation. Default 30 seconds.</summary>
    public TimeSpan CacheEvaluationBudget { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most bytes one AdmissionReview may read from registries (all its images, signatures and lineages together);
    /// beyond it the images still being read are denied with SC4020. Default 128 MiB (docs/admission.md, "Read budget").
    /// </summary>
    public long ReadBudgetBytes { get; init; } = Policy.Evaluation.EvaluationBudget.DefaultMaxTotalBytes;

    /// <summary>
    /// Most registry reads in flight at once, over all reviews together (and within one review). Memory held by reads in
    /// flight is at most this many times the largest read (a 4 MiB manifest, a 1 MiB signature, a 32 MiB attestation when
    /// a rule requires attestations). Default 8.
    /// </summary>
    public int MaxConcurrentDownloads { get; init; } = Policy.Evaluation.EvaluationBudget.DefaultMaxConcurrentDownloads;

    /// <summary>The timeout assumed when the API server sends no valid <c>?timeout=</c>. Default 10 seconds.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest timeout honoured (the API server's own maximum). Default 30 seconds.</summary>
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the certificate, key, policy and mounted trusted root are checked for changes. Default 10 seconds.</summary>
    public TimeSpan ReloadInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock (cache expiry, deadlines, reload polling).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where logs go in addition to <see cref="JsonConsoleLogs"/> (tests capture them here); <c>null</c> for none.</summary>
    public ILoggerProvider? LoggerProvider { get; init; }

    /// <summary>Writes JSON log lines to standard output (the deployed webhook). Default <c>false</c>.</summary>
    public bool JsonConsoleLogs { get; init; }

    /// <summary>Test seam: replaces <see cref="AdmissionEvaluator.ReviewAsync"/>.</summary>
    internal Func<AdmissionRequest, AdmissionSnapshot, CancellationToken, Task<AdmissionOutcome>>? ReviewOverride { get; init; }

    /// <summary>Checks the options with <see cref="AdmissionServerOptionsValidator"/>; SC7208 with every failure.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Listen);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(InsecureRegistries);
        Microsoft.Extensions.Options.ValidateOptionsResult result = new AdmissionServerOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw AdmissionErrors.InvalidOption.ToException(result.FailureMessage);
        }
    }
}
