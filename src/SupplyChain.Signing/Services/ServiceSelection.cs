using SupplyChain.Core.Trust;

namespace SupplyChain.Signing.Services;

/// <summary>
/// Picks services from a signing config v0.2 (Sigstore client spec, "Signing Configuration"): only services valid
/// now and speaking a supported API major version; the highest version first; one service per operator; then the
/// selector: ANY takes one, EXACT takes <c>count</c> (fewer is an error), ALL takes every one.
/// </summary>
internal static class ServiceSelection
{
    public static IReadOnlyList<SigningService> Select(
        string kind,
        IReadOnlyList<SigningService> services,
        ServiceConfiguration? configuration,
        DateTimeOffset now,
        int[] supportedVersions,
        bool required)
    {
        IReadOnlyList<SigningService> valid = SigningConfig.ValidAt(services, now, supportedVersions);
        var perOperator = new List<SigningService>();
        var operators = new HashSet<string>(StringComparer.Ordinal);
        foreach (SigningService service in valid)
        {
            // A service without an operator counts as its own operator.
            if (operators.Add(service.Operator ?? service.Url.AbsoluteUri))
            {
                perOperator.Add(service);
            }
        }

        if (perOperator.Count == 0)
        {
            if (required)
            {
                throw SigningErrors.NoServiceConfigured.ToException($"no {kind} valid at {now:O} for API version {string.Join(" or ", supportedVersions)}");
            }

            return [];
        }

        ServiceConfiguration selection = configuration ?? new ServiceConfiguration(ServiceSelector.Any, 1);
        switch (selection.Selector)
        {
            case ServiceSelector.All:
                return perOperator;
            case ServiceSelector.Exact:
                if (perOperator.Count < selection.Count)
                {
                    throw SigningErrors.NoServiceConfigured.ToException($"the signing config asks for exactly {selection.Count} {kind}s, {perOperator.Count} are usable");
                }

                return perOperator.Take(selection.Count).ToList();
            default:
                return [perOperator[0]];
        }
    }
}
