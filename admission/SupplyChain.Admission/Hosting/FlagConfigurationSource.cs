using Microsoft.Extensions.Configuration;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The webhook's flags as a configuration source, stricter than the command-line provider of
/// Microsoft.Extensions.Configuration: an unknown flag, a flag given twice (except the repeatable
/// <c>--allow-insecure-registry</c>), a flag without its value and a positional argument are refused with SC7208 when the
/// configuration is built, instead of being kept or silently overwritten. Each flag is stored under
/// <see cref="CommandLine.Key"/> (its name with <c>_</c> for <c>-</c>), the key its environment variable gets from the
/// environment-variables provider, so the flag, added after it, wins. The repeatable flag's values are stored
/// comma-separated, as its environment variable writes them.
/// </summary>
internal sealed class FlagConfigurationSource(IReadOnlyList<string> args) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(args);

    private sealed class Provider(IReadOnlyList<string> args) : ConfigurationProvider
    {
        public override void Load()
        {
            var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < args.Count; i++)
            {
                string arg = args[i];
                if (!arg.StartsWith("--", StringComparison.Ordinal))
                {
                    throw AdmissionErrors.InvalidOption.ToException($"unexpected argument '{CommandLine.Shorten(arg)}'");
                }

                string name = arg[2..];
                string? value = null;
                int equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    value = name[(equals + 1)..];
                    name = name[..equals];
                }

                if (!CommandLine.Flags.Any(f => f.Flag == name))
                {
                    throw AdmissionErrors.InvalidOption.ToException($"unknown flag --{CommandLine.Shorten(name)}");
                }

                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        throw AdmissionErrors.InvalidOption.ToException($"--{name} needs a value");
                    }

                    value = args[++i];
                }

                string key = CommandLine.Key(name);
                if (!data.TryGetValue(key, out string? earlier))
                {
                    data[key] = value;
                }
                else if (name == CommandLine.RepeatableFlag)
                {
                    data[key] = earlier + "," + value;
                }
                else
                {
                    throw AdmissionErrors.InvalidOption.ToException($"--{name} given twice");
                }
            }

            Data = data;
        }
    }
}
