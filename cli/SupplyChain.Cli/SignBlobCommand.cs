using System.CommandLine;
using System.Text;
using System.Text.Json;
using SupplyChain.Core.Trust;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Oidc;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli sign-blob FILE --bundle OUT --identity-token T</c>: keyless signing like <c>cosign sign-blob --bundle</c>.
/// The bundle is verified against the trusted root before it is written, and it is written atomically
/// (a temporary file renamed over OUT), so a failure never leaves a partial bundle.
/// </summary>
internal sealed class SignBlobCommand
{
    private static readonly Uri ProductionFulcio = new("https://fulcio.sigstore.dev");
    private static readonly Uri ProductionRekor = new("https://rekor.sigstore.dev");

    private readonly Argument<string> _artifact = new("artifact") { Description = "The file to sign (hashed as a stream).", HelpName = "FILE" };
    private readonly Option<string> _bundle = new("--bundle") { Description = "Where to write the Sigstore bundle (v0.3 JSON).", Required = true, HelpName = "OUT" };
    private readonly Option<string> _token = new("--identity-token") { Description = "The OIDC identity token (a JWT), or @FILE to read it from a file.", Required = true, HelpName = "TOKEN" };
    private readonly Option<int?> _rekorVersion = new("--rekor-version") { Description = "The Rekor API version: 1 or 2 (2 needs a timestamp authority). Default: the highest the signing config offers, else 1.", HelpName = "1|2" };
    private readonly Option<string> _signingConfig = new("--signing-config") { Description = "A signing_config.json (v0.2) naming Fulcio, Rekor and TSA services.", HelpName = "FILE" };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "The trusted_root.json the bundle must verify against (default: embedded Sigstore production root).", HelpName = "FILE" };
    private readonly Option<string> _fulcioUrl = new("--fulcio-url") { Description = "Fulcio base URL (overrides the signing config).", HelpName = "URL" };
    private readonly Option<string> _rekorUrl = new("--rekor-url") { Description = "Rekor base URL (overrides the signing config).", HelpName = "URL" };
    private readonly Option<string> _tsaUrl = new("--timestamp-server-url") { Description = "RFC 3161 timestamp URL, e.g. https://timestamp.sigstore.dev/api/v1/timestamp (overrides the signing config).", HelpName = "URL" };

    /// <summary>Creates the command and its options.</summary>
    public SignBlobCommand()
    {
        Command = new Command("sign-blob", "Sign a file keylessly (Fulcio + Rekor [+ TSA]) and write a Sigstore bundle.")
        {
            _artifact, _bundle, _token, _rekorVersion, _signingConfig, _trustedRoot, _fulcioUrl, _rekorUrl, _tsaUrl,
        };
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public int Run(ParseResult parse, TextWriter stderr)
    {
        string artifactPath = parse.GetRequiredValue(_artifact);
        string outPath = parse.GetRequiredValue(_bundle);
        int? rekorVersion = parse.GetValue(_rekorVersion);
        if (rekorVersion is { } v && v is not (1 or 2))
        {
            throw CliErrors.Usage.ToException("--rekor-version must be 1 or 2");
        }

        CliFiles.RequireFile(artifactPath, "artifact");
        IdentityToken token = ParseToken(parse.GetRequiredValue(_token));
        TrustedRoot trust = parse.GetValue(_trustedRoot) is { } rootPath
            ? TrustedRoot.Parse(CliFiles.ReadAll(rootPath, "--trusted-root", CliLimits.MaxTrustedRootBytes))
            : TrustedRoot.Production;
        SigningConfig? config = parse.GetValue(_signingConfig) is { } configPath
            ? SigningConfig.Parse(CliFiles.ReadAll(configPath, "--signing-config", CliLimits.MaxSigningConfigBytes))
            : null;
        Uri? fulcio = Url(parse.GetValue(_fulcioUrl), "--fulcio-url");
        Uri? rekor = Url(parse.GetValue(_rekorUrl), "--rekor-url");
        Uri? tsa = Url(parse.GetValue(_tsaUrl), "--timestamp-server-url");
        if (config is null)
        {
            // Without a signing config: the public-good instances, as cosign does.
            fulcio ??= ProductionFulcio;
            rekor ??= ProductionRekor;
        }

        using var signer = new BundleSigner(new BundleSignerOptions
        {
            TrustedMaterial = trust,
            SigningConfig = config,
            FulcioUrl = fulcio,
            RekorUrl = rekor,
            TimestampAuthorityUrl = tsa,
            RekorVersion = rekorVersion,
        });

        byte[] bundle;
        using (var artifact = new FileStream(artifactPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            bundle = signer.SignMessageAsync(artifact, token).GetAwaiter().GetResult();
        }

        WriteAtomically(outPath, bundle);
        stderr.WriteLine($"Wrote bundle to {outPath} (signed as {token.Subject}, issuer {token.Issuer}; verified against the trusted root)");
        return ExitCodes.Success;
    }

    private static Uri? Url(string? text, string option)
    {
        if (text is null)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && url.Scheme is "https" or "http"
            ? url
            : throw CliErrors.Usage.ToException($"{option} '{text}' is not an absolute http(s) URL");
    }

    /// <summary>
    /// Reads the JWT's claims without verifying its signature (Fulcio verifies it): <c>iss</c>, the identity Fulcio
    /// certifies (<c>email</c> when present, else <c>sub</c>), <c>aud</c> and <c>exp</c>. The token never reaches a message.
    /// </summary>
    internal static IdentityToken ParseToken(string value)
    {
        string raw = value.StartsWith('@') ? CliFiles.ReadText(value[1..], "--identity-token", CliLimits.MaxIdentityTokenBytes).Trim() : value.Trim();
        string[] parts = raw.Split('.');
        if (parts.Length != 3 || raw.Length > CliLimits.MaxIdentityTokenBytes)
        {
            throw CliErrors.IdentityTokenMalformed.ToException("not three dot-separated parts");
        }

        try
        {
            string b64 = parts[1].Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            using JsonDocument claims = JsonDocument.Parse(Convert.FromBase64String(b64));
            JsonElement root = claims.RootElement;
            string? issuer = root.TryGetProperty("iss", out JsonElement iss) && iss.ValueKind == JsonValueKind.String ? iss.GetString() : null;
            string? subject = root.TryGetProperty("email", out JsonElement email) && email.ValueKind == JsonValueKind.String ? email.GetString()
                : root.TryGetProperty("sub", out JsonElement sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
            if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(subject))
            {
                throw CliErrors.IdentityTokenMalformed.ToException("iss or sub/email is missing");
            }

            var audiences = new List<string>();
            if (root.TryGetProperty("aud", out JsonElement aud))
            {
                if (aud.ValueKind == JsonValueKind.String)
                {
                    audiences.Add(aud.GetString()!);
                }
                else if (aud.ValueKind == JsonValueKind.Array)
                {
                    audiences.AddRange(aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!));
                }
            }

            DateTimeOffset expires = root.TryGetProperty("exp", out JsonElement exp) && exp.TryGetInt64(out long seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : DateTimeOffset.MaxValue;
            return new IdentityToken(raw, issuer, subject, audiences, expires);
        }
        catch (FormatException ex)
        {
            throw CliErrors.IdentityTokenMalformed.ToException("the payload is not base64url", ex);
        }
        catch (JsonException ex)
        {
            throw CliErrors.IdentityTokenMalformed.ToException("the payload is not JSON", ex);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw CliErrors.IdentityTokenMalformed.ToException("exp is out of range", ex);
        }
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw CliErrors.OutputUnwritable.ToException($"--bundle '{path}': {ex.Message}", ex);
        }
    }
}
