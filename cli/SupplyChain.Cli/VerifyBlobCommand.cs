using System.CommandLine;
using System.Text;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Tuf;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli verify-blob FILE|sha256:HEX --bundle B (identity flags | --key K)</c>: verifies a Sigstore
/// bundle over an artifact offline, like <c>cosign verify-blob --bundle</c>. Steps and exit codes are in docs/cli.md.
/// </summary>
internal sealed class VerifyBlobCommand
{
    private static readonly string[] DigestPrefixes = ["sha256:", "sha384:", "sha512:"];

    private readonly Argument<string> _artifact = new("artifact")
    {
        Description = "The artifact file, or its digest as sha256:HEX (sha384:/sha512: also accepted).",
        HelpName = "FILE|sha256:HEX",
    };

    private readonly Option<string> _bundle = new("--bundle") { Description = "The Sigstore bundle (JSON, v0.1 to v0.3).", Required = true, HelpName = "FILE" };
    private readonly IdentityFlags _identityFlags = new();
    private readonly Option<string> _key = new("--key") { Description = "A PEM public key (PUBLIC KEY) for key-signed bundles; replaces the identity flags.", HelpName = "FILE" };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "A trusted_root.json to verify against, instead of the embedded Sigstore root.", HelpName = "FILE" };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use the embedded Sigstore staging root instead of production (ignored with --trusted-root)." };
    private readonly Option<bool> _tuf = new("--tuf") { Description = "Get the trusted root through TUF (refreshed from the Sigstore repository into the cache; if unreachable, the cached or embedded copy with a warning)." };
    private readonly Option<bool> _offline = new("--offline") { Description = "With --tuf: no network call, the cached (else embedded) trusted root. Without --tuf verification is offline anyway." };
    private readonly Option<string> _tufCacheDir = new("--tuf-cache-dir") { Description = "With --tuf: the TUF cache directory (default: $XDG_CACHE_HOME/supplychain/tuf/<repository>).", HelpName = "DIR" };
    private readonly Option<bool> _insecureIgnoreIdentity = new("--insecure-ignore-identity") { Description = "UNSAFE: accept a certificate for ANY identity the trusted CA issued. For inspection only." };
    private readonly Option<string> _instance = InstanceOption.Create("Verify");
    private readonly Option<string> _output = CommonOptions.Output();

    private readonly Option<string> _githubTrustedRoot = GitHubInstanceTrust.Create();
    private readonly Option<string> _type = new("--type") { Description = "The predicate type the attestation must have: slsaprovenance1 (default, as gh attestation verify), cyclonedx, spdxjson, custom, ... or a URI.", HelpName = "TYPE", DefaultValueFactory = _ => "slsaprovenance1" };
    private readonly AttestationFlags _attestationFlags = new();

    private readonly IPasswordSource _environment;
    private readonly bool _attestation;
    private readonly ILoggerFactory? _loggers;

    /// <summary>Creates <c>verify-blob</c> (or <c>verify-blob-attestation</c> when <paramref name="attestation"/>) and its options.</summary>
    /// <param name="environment">The environment (for the default instance directory of <c>--instance local</c>).</param>
    /// <param name="attestation">Whether this is <c>verify-blob-attestation</c>: a DSSE attestation with predicate type, source and builder checks.</param>
    /// <param name="loggers">Where the TUF client of <c>--tuf</c> logs (its warnings reach stderr through it).</param>
    public VerifyBlobCommand(IPasswordSource environment, bool attestation = false, ILoggerFactory? loggers = null)
    {
        _environment = environment;
        _attestation = attestation;
        _loggers = loggers;
        Command = attestation
            ? new Command("verify-blob-attestation", "Verify an in-toto attestation bundle over a file (offline), with predicate type, source and builder checks.") { _artifact, _bundle, _type }
            : new Command("verify-blob", "Verify a Sigstore bundle over an artifact (offline).") { _artifact, _bundle };
        foreach (Option option in (Option[])[.. _identityFlags.Options, _key, _trustedRoot, _githubTrustedRoot, _staging, _tuf, _offline, _tufCacheDir, _insecureIgnoreIdentity, _instance, _output, .. attestation ? _attestationFlags.Options : []])
        {
            Command.Options.Add(option);
        }
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string artifactText = parse.GetRequiredValue(_artifact);
        string bundlePath = parse.GetRequiredValue(_bundle);
        string? keyPath = parse.GetValue(_key);
        bool insecure = parse.GetValue(_insecureIgnoreIdentity);
        bool json = parse.GetValue(_output) == "json";

        // 1. The command line must name exactly one kind of policy.
        PolicyFlags flags = _identityFlags.Read(parse);
        flags.Validate(keyPath, insecure);

        // 2. The artifact: sha256:HEX is a digest, anything else a path.
        Artifact artifact = ResolveArtifact(artifactText);

        // 3. The trust root: --instance, --trusted-root, else the embedded production (or staging) root.
        TrustedRoot trust = parse.GetValue(_instance) is { } instance
            ? LoadInstanceTrustRoot(parse, instance)
            : parse.GetValue(_tuf)
            ? await LoadTrustRootThroughTufAsync(parse, stderr, cancellationToken).ConfigureAwait(false)
            : LoadTrustRoot(parse.GetValue(_trustedRoot), parse.GetValue(_staging));

        // 4. The policy (key or identity), 5. the bundle, 6. verification.
        using PublicKeyVerifier? key = keyPath is null ? null : PublicKeyVerifier.FromPem(CliFiles.ReadText(keyPath, "--key", CliLimits.MaxPublicKeyBytes));
        VerificationPolicy policy = key is not null ? VerificationPolicy.ForPublicKey(key)
            : insecure ? VerificationPolicy.WithoutIdentityUnsafe()
            : VerificationPolicy.ForCertificateIdentities(flags.ToIdentity());
        if (insecure)
        {
            stderr.WriteLine("WARNING: --insecure-ignore-identity: any identity the trusted CA certified is accepted; anyone able to get a certificate passes. Never use this for admission decisions.");
        }

        SigstoreBundle bundle = SigstoreBundle.Parse(CliFiles.ReadAll(bundlePath, "--bundle", CliLimits.MaxBundleBytes));
        AttestationRequirements? requirements = _attestation ? _attestationFlags.Read(parse, AttestBlobCommand.PredicateType(parse.GetRequiredValue(_type))) : null;
        SigstoreVerifier verifier = GitHubInstanceTrust.Select(bundle, trust, parse.GetValue(_githubTrustedRoot), stderr);
        VerificationResult result = verifier.Verify(bundle, artifact, policy);

        // 7. verify-blob-attestation: the predicate type, source and builder, against the certificate and the predicate.
        SlsaProvenance? provenance = requirements is null ? null : AttestationChecker.Enforce(result, requirements);
        if (json)
        {
            stdout.WriteLine(_attestation ? AttestationOutput.Json(result, bundle) : Encoding.UTF8.GetString(result.ToJson()));
        }
        else
        {
            ResultText.Write(result, stderr);
            if (_attestation)
            {
                AttestationOutput.Write(result, provenance, requirements!, stderr);
            }
        }

        return ExitCodes.Success;
    }

    private static Artifact ResolveArtifact(string text)
    {
        if (DigestPrefixes.Any(p => text.StartsWith(p, StringComparison.Ordinal)))
        {
            return Artifact.TryParseDigest(text, out Artifact? digest)
                ? digest
                : throw CliErrors.InvalidArtifactDigest.ToException($"'{Truncate(text)}' (expected sha256: and 64 hex digits; to verify a file with this name, write ./{Truncate(text)})");
        }

        if (string.IsNullOrEmpty(text))
        {
            throw CliErrors.Usage.ToException("the artifact argument is empty");
        }

        CliFiles.RequireFile(text, "artifact");
        return Artifact.FromFile(text);
    }

    internal static TrustedRoot LoadTrustRoot(string? path, bool staging)
    {
        if (path is null)
        {
            return staging ? TrustedRoot.Staging : TrustedRoot.Production;
        }

        return TrustedRoot.Parse(CliFiles.ReadAll(path, "--trusted-root", CliLimits.MaxTrustedRootBytes));
    }

    /// <summary>--instance: the local instance's trusted_root.json (the same identity flags are required as for any root).</summary>
    private TrustedRoot LoadInstanceTrustRoot(ParseResult parse, string instance)
    {
        foreach (Option option in new Option[] { _trustedRoot, _staging, _tuf, _offline, _tufCacheDir })
        {
            if (parse.GetResult(option) is { Implicit: false })
            {
                throw CliErrors.Usage.ToException($"--instance and {option.Name} cannot be combined");
            }
        }

        return InstanceOption.TrustedRoot(instance, _environment);
    }

    /// <summary>--tuf: the trusted root from the TUF client (online with fallback, or --offline), its warnings on stderr through the run's logger.</summary>
    private async Task<TrustedRoot> LoadTrustRootThroughTufAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (parse.GetValue(_trustedRoot) is not null)
        {
            throw CliErrors.Usage.ToException("--tuf and --trusted-root cannot be combined");
        }

        TufClientOptions defaults = parse.GetValue(_staging) ? TufClientOptions.ForStaging() : TufClientOptions.ForProduction();
        using var client = new TufClient(new TufClientOptions
        {
            RepositoryUrl = defaults.RepositoryUrl,
            InitialRoot = defaults.InitialRoot,
            CacheDirectory = parse.GetValue(_tufCacheDir),
            Offline = parse.GetValue(_offline),
            OnUnreachable = TufFallback.UseCachedOrEmbedded,
            EmbeddedTrustedRoot = defaults.EmbeddedTrustedRoot,
            EmbeddedTrustedRootDate = defaults.EmbeddedTrustedRootDate,
            LoggerFactory = _loggers,
        });
        TufResult<TrustedRoot> result = await client.GetTrustedRootAsync(cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    private static string Truncate(string s) => s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 80), "...");

    /// <summary>The identity flags, checked for the combinations the CLI allows.</summary>
    internal sealed record PolicyFlags(string? Identity, string? IdentityRegexp, string? Issuer, string? IssuerRegexp)
    {
        private bool Any => Identity is not null || IdentityRegexp is not null || Issuer is not null || IssuerRegexp is not null;

        public void Validate(string? key, bool insecure)
        {
            if (key is not null && insecure)
            {
                throw CliErrors.Usage.ToException("--key and --insecure-ignore-identity cannot be combined");
            }

            if ((key is not null || insecure) && Any)
            {
                throw CliErrors.Usage.ToException($"{(key is not null ? "--key" : "--insecure-ignore-identity")} cannot be combined with --certificate-identity[-regexp] or --certificate-oidc-issuer[-regexp]");
            }

            if (key is not null || insecure)
            {
                return;
            }

            RequireExactlyOne(Identity, IdentityRegexp, "--certificate-identity", "--certificate-identity-regexp");
            RequireExactlyOne(Issuer, IssuerRegexp, "--certificate-oidc-issuer", "--certificate-oidc-issuer-regexp");
        }

        public CertificateIdentity ToIdentity() => new(
            Identity is not null ? StringMatcher.Exact(Identity) : StringMatcher.Regex(IdentityRegexp!),
            Issuer is not null ? StringMatcher.Exact(Issuer) : StringMatcher.Regex(IssuerRegexp!));

        private static void RequireExactlyOne(string? exact, string? regexp, string exactName, string regexpName)
        {
            if (exact is not null && regexp is not null)
            {
                throw CliErrors.Usage.ToException($"give {exactName} or {regexpName}, not both");
            }

            if (exact is null && regexp is null)
            {
                throw CliErrors.Usage.ToException($"{exactName} or {regexpName} is required (or --key for key-signed bundles)");
            }

            if ((exact ?? regexp)!.Length == 0)
            {
                throw CliErrors.Usage.ToException($"{(exact is not null ? exactName : regexpName)} must not be empty");
            }
        }
    }
}
