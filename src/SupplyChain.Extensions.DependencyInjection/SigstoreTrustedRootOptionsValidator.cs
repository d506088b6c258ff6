using Microsoft.Extensions.Options;
using SupplyChain.Tuf;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>Checks <see cref="SigstoreTrustedRootOptions"/> when the host starts; each failure names SC3072.</summary>
internal sealed class SigstoreTrustedRootOptionsValidator : IValidateOptions<SigstoreTrustedRootOptions>
{
    public ValidateOptionsResult Validate(string? name, SigstoreTrustedRootOptions options)
    {
        var failures = new List<string>();
        string code = TufErrors.TrustedRootSourceInvalid.Code;
        bool sigstore = options.TufRepositoryUrl == TufClientOptions.ProductionUrl || options.TufRepositoryUrl == TufClientOptions.StagingUrl;
        if (options.RefreshInterval <= TimeSpan.Zero || options.RetryInterval <= TimeSpan.Zero || options.PollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{code}: the refresh, retry and poll intervals must be positive");
        }

        if (options.TufRepositoryUrl is not { IsAbsoluteUri: true } url || url.Scheme is not ("https" or "http"))
        {
            failures.Add($"{code}: the TUF repository must be an absolute http(s) URL");
        }
        else if (options.TrustedRootPath is null && !sigstore && options.TufInitialRootPath is null)
        {
            failures.Add($"{code}: the TUF repository {url} needs an initial root (TufInitialRootPath)");
        }

        if (options.Offline && !sigstore)
        {
            failures.Add($"{code}: an embedded trusted root exists only for Sigstore's production and staging repositories");
        }

        if (options.TrustedRootPath is not null && (options.Offline || options.TufInitialRootPath is not null))
        {
            failures.Add($"{code}: a trusted root file excludes the TUF settings");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
