using SupplyChain.Core.Trust;

namespace SupplyChain.Fuzz.Targets;

/// <summary>A signing_config.json (from TUF or a file): parsed, then every service list filtered by validity as a signer does.</summary>
internal sealed class SigningConfigTarget : FuzzTarget
{
    public override string Name => "signing-config";

    public override string Description => "signing_config.json -> SigningConfig.Parse, ValidAt on every service list";

    public override void Run(ReadOnlySpan<byte> input)
    {
        SigningConfig config = SigningConfig.Parse(input);
        DateTimeOffset now = DateTimeOffset.FromUnixTimeSeconds(1_750_000_000);
        SigningConfig.ValidAt(config.CertificateAuthorities, now, 1);
        SigningConfig.ValidAt(config.OidcProviders, now, 1);
        SigningConfig.ValidAt(config.TransparencyLogs, now, 1, 2);
        SigningConfig.ValidAt(config.TimestampAuthorities, now, 1);
    }
}
