using System.Collections;
using Microsoft.Extensions.Configuration;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's environment variables as a configuration source, stricter than the environment-variables provider of
/// Microsoft.Extensions.Configuration (whose prefix test ignores case and which keeps any variable under the prefix):
/// it reads exactly <c>PREFIX</c> + each flag's name in upper case with <c>_</c> for <c>-</c>
/// (<see cref="CommandLine.EnvironmentVariable"/>), compared ordinally, and refuses with SC7208 any other variable
/// whose name starts with the prefix (a misspelled <c>SUPPLYCHAIN_ADMISSION_TRUSTED_ROOTS</c> would otherwise fall
/// back to TUF) or with the prefix in another case (on Linux <c>supplychain_admission_policy</c> is another variable,
/// one the user most likely meant; reading it would let two variables differing in case race by environment order).
/// The refusal names the variable, never its value. Each setting is stored under <see cref="CommandLine.Key"/>, the
/// key <see cref="FlagConfigurationSource"/> uses, so a flag added after this source wins.
/// </summary>
internal sealed class EnvironmentConfigurationSource(string prefix) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(prefix);

    private sealed class Provider(string prefix) : ConfigurationProvider
    {
        public override void Load()
        {
            Dictionary<string, string> known = CommandLine.Flags.ToDictionary(
                f => prefix + f.Flag.ToUpperInvariant().Replace('-', '_'), f => CommandLine.Key(f.Flag), StringComparer.Ordinal);
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                string name = (string)variable.Key;
                if (!name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (!name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    throw AdmissionErrors.InvalidOption.ToException($"environment variable {CommandLine.Shorten(name)}: the webhook's variables are upper case ({prefix}<FLAG>)");
                }

                if (!known.TryGetValue(name, out string? key))
                {
                    throw AdmissionErrors.InvalidOption.ToException($"unknown environment variable {CommandLine.Shorten(name)} (each flag's is {prefix}<FLAG>, such as {prefix}TLS_CERT)");
                }

                data[key] = (string?)variable.Value;
            }

            Data = data;
        }
    }
}
