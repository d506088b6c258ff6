using Microsoft.Extensions.Options;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The rules <see cref="AdmissionServerOptions"/> must meet, as an <see cref="IValidateOptions{TOptions}"/>: the host
/// registers it beside <c>IOptions&lt;AdmissionServerOptions&gt;</c>, and <see cref="AdmissionServer.StartAsync"/> and
/// <see cref="AdmissionConfiguration.Bind"/> refuse options it fails (SC7208, exit code 2) before anything starts.
/// </summary>
internal sealed class AdmissionServerOptionsValidator : IValidateOptions<AdmissionServerOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionServerOptions options)
    {
        var failures = new List<string>();
        void Require(bool ok, string what)
        {
            if (!ok)
            {
                failures.Add(what);
            }
        }

        Require(!string.IsNullOrEmpty(options.TlsCertificatePath) && !string.IsNullOrEmpty(options.TlsKeyPath), "a TLS certificate and key are required");
        Require(!string.IsNullOrEmpty(options.PolicyPath), "a policy file is required");
        Require(options.TufRepositoryUrl is { IsAbsoluteUri: true }, "the TUF repository URL must be absolute");
        Require(options.TufRefreshInterval > TimeSpan.Zero && options.TufRetryInterval > TimeSpan.Zero, "TUF intervals must be positive");
        Require(options.CacheMaxEntries >= 1, "cache max entries must be at least 1");
        Require(options.CacheTtl >= TimeSpan.Zero && options.CacheDeniedTtl >= TimeSpan.Zero && options.CacheFailureTtl >= TimeSpan.Zero, "cache TTLs must not be negative");
        Require(options.CacheEvaluationBudget > TimeSpan.Zero, "the evaluation budget must be positive");
        Require(options.DefaultTimeout >= TimeSpan.FromSeconds(1) && options.MaxTimeout >= options.DefaultTimeout, "timeouts: at least 1 s, default no larger than max");
        Require(options.ReloadInterval > TimeSpan.Zero, "the reload interval must be positive");
        Require(options.ReadBudgetBytes > 0, "the read budget must be positive");
        Require(options.MaxConcurrentDownloads is >= 1 and <= 1024, "concurrent downloads: 1 to 1024");
        Require(options.Platforms is null || (options.Platforms.Count > 0 && options.Platforms.All(p => !string.IsNullOrEmpty(p?.Os) && !string.IsNullOrEmpty(p?.Architecture))), "each platform needs an os and an architecture");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
