using System.CommandLine;
using System.Globalization;
using System.Text;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Trust;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;

using SupplyChain.Policy.Evaluation;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli verify IMAGE</c> and <c>signcli verify-attestation IMAGE --type T</c>: find the signatures (or attestations)
/// attached to the image digest in both formats and verify them against the trusted root and the policy (identity flags
/// as verify-blob, or <c>--key</c>). Exit 0 verified, 1 found but none matches, 5 none found, 4 registry error.
/// docs/cli.md, "verify IMAGE".
/// </summary>
internal sealed class VerifyImageCommand
{
    private readonly Argument<string> _image = new("image") { Description = "The image: registry/repository[:tag][@digest]. With a digest no resolve is needed.", HelpName = "IMAGE" };
    private readonly IdentityFlags _identityFlags = new();
    private readonly Option<string> _key = new("--key") { Description = "A PEM public key (PUBLIC KEY) for key-signed signatures; replaces the identity flags.", HelpName = "FILE" };
    private readonly Option<string> _trustedRoot = new("--trusted-root") { Description = "A trusted_root.json to verify against, instead of the embedded Sigstore root.", HelpName = "FILE" };
    private readonly Option<bool> _staging = new("--staging") { Description = "Use the embedded Sigstore staging root instead of production (ignored with --trusted-root)." };
    private readonly Option<string> _instance = InstanceOption.Create("Verify");
    private readonly Option<bool> _insecureIgnoreIdentity = new("--insecure-ignore-identity") { Description = "UNSAFE: accept a certificate for ANY identity the trusted CA issued. For inspection only." };
    private readonly Option<bool> _insecureIgnoreTlog = new("--insecure-ignore-tlog") { Description = "UNSAFE (with --key only): accept a key-signed signature that has no transparency-log entry (what skopeo writes)." };
    private readonly Option<string[]> _platform = new("--platform") { Description = "For an index: verify this platform's manifest (os/arch[/variant]); a signature on it or on the index is accepted. With --policy: the platforms to evaluate (repeatable); default every platform the index lists.", HelpName = "OS/ARCH", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _type = new("--type") { Description = "The predicate type: a short name (slsaprovenance1, cyclonedx, spdxjson, custom, ...) or a URI.", HelpName = "TYPE", DefaultValueFactory = _ => "custom" };
    private readonly Option<string> _output = CommonOptions.Output();
    private readonly Option<string> _policy = new("--policy") { Description = "Verify under an image policy file (docs/policy.md): the image, and its base-image lineage when the policy asks.", HelpName = "FILE" };
    private readonly AttestationFlags _attestationFlags = new();
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;
    private readonly bool _attestation;

    /// <summary>Creates <c>verify</c> (or <c>verify-attestation</c> when <paramref name="attestation"/>).</summary>
    public VerifyImageCommand(bool attestation, IPasswordSource terminal, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory)
    {
        _attestation = attestation;
        _terminal = terminal;
        _registry = new RegistryFlags(registryFactory);
        Command = attestation
            ? new Command("verify-attestation", "Verify an in-toto attestation of a type attached to an image.") { _type }
            : new Command("verify", "Verify the signatures attached to an image (both formats).") { _policy };
        foreach (Symbol symbol in (Symbol[])[_image, .. _identityFlags.Options, _key, _trustedRoot, _staging, _instance, _insecureIgnoreIdentity, _insecureIgnoreTlog, _platform, _output])
        {
            if (symbol is Argument argument)
            {
                Command.Arguments.Add(argument);
            }
            else
            {
                Command.Options.Add((Option)symbol);
            }
        }

        if (attestation)
        {
            foreach (Option option in _attestationFlags.Options)
            {
                Command.Options.Add(option);
            }
        }

        _registry.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string? keyPath = parse.GetValue(_key);
        bool insecure = parse.GetValue(_insecureIgnoreIdentity);
        bool ignoreTlog = parse.GetValue(_insecureIgnoreTlog);
        if (parse.GetValue(_policy) is { } policyFile)
        {
            bool identityFlags = keyPath is not null || insecure || ignoreTlog || _identityFlags.AnyGiven(parse);
            PlatformSet? policyPlatforms = PolicyRunner.Platforms(parse.GetValue(_platform));
            ImageReference policyImage = RegistryFlags.Image(parse.GetRequiredValue(_image));
            return await PolicyRunner.VerifyImageAsync(policyFile, identityFlags, policyImage, policyPlatforms, () => LoadTrustRoot(parse), () => _registry.Create(parse, _terminal, [policyImage]), parse.GetValue(_output) == "json", stdout, stderr, cancellationToken).ConfigureAwait(false);
        }

        var flags = _identityFlags.Read(parse);
        flags.Validate(keyPath, insecure);
        if (ignoreTlog && keyPath is null)
        {
            throw CliErrors.Usage.ToException("--insecure-ignore-tlog needs --key (keyless signatures are verified through the log)");
        }

        ImageReference image = RegistryFlags.Image(parse.GetRequiredValue(_image));
        OciPlatform? platform = parse.GetValue(_platform) is { Length: > 0 } p
            ? (p.Length == 1 ? PlatformManifests.ParsePlatform(p[0]) : throw CliErrors.Usage.ToException("--platform names one platform without --policy"))
            : null;
        string? predicateType = _attestation ? ImageStatements.ResolvePredicateType(parse.GetRequiredValue(_type)) : null;
        TrustedRoot trust = LoadTrustRoot(parse);
        using PublicKeyVerifier? key = keyPath is null ? null : PublicKeyVerifier.FromPem(CliFiles.ReadText(keyPath, "--key", CliLimits.MaxPublicKeyBytes));
        VerificationPolicy policy = key is not null ? VerificationPolicy.ForPublicKey(key)
            : insecure ? VerificationPolicy.WithoutIdentityUnsafe()
            : VerificationPolicy.ForCertificateIdentities(flags.ToIdentity());
        if (insecure)
        {
            stderr.WriteLine("WARNING: --insecure-ignore-identity: any identity the trusted CA certified is accepted. Never use this for admission decisions.");
        }

        if (ignoreTlog)
        {
            stderr.WriteLine("WARNING: --insecure-ignore-tlog: a key-signed signature without a transparency-log entry is accepted on the key alone.");
        }

        IOciRegistry registry = _registry.Create(parse, _terminal, [image]);
        try
        {
            var request = new ImageVerificationRequest
            {
                Policy = policy,
                PredicateType = predicateType,
                Platform = platform,
                IgnoreTransparencyLogUnsafe = ignoreTlog,
                // Without source or builder flags verify-attestation stays cosign's (the predicate type alone is checked).
                Requirements = _attestation && _attestationFlags.Read(parse, null).Any ? _attestationFlags.Read(parse, predicateType) : null,
            };
            ImageVerificationResult result = await new ImageVerifier(registry, trust).VerifyAsync(image, request, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(_output) == "json")
            {
                stdout.WriteLine(_attestation ? AttestationOutput.ImageJson(result.ToJson(), result.Details?.Statement) : Encoding.UTF8.GetString(result.ToJson()));
            }
            else
            {
                Write(image, result, stderr);
            }

            return ExitCodes.Success;
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }

    /// <summary>The trust root: <c>--instance</c> (the local instance's trusted_root.json; not with --trusted-root or --staging), else <c>--trusted-root</c>, else the embedded root.</summary>
    private TrustedRoot LoadTrustRoot(ParseResult parse)
    {
        if (parse.GetValue(_instance) is not { } instance)
        {
            return VerifyBlobCommand.LoadTrustRoot(parse.GetValue(_trustedRoot), parse.GetValue(_staging));
        }

        return parse.GetValue(_trustedRoot) is not null || parse.GetValue(_staging)
            ? throw CliErrors.Usage.ToException("--instance cannot be combined with --trusted-root or --staging")
            : InstanceOption.TrustedRoot(instance, _terminal);
    }

    /// <summary>The text form: what was verified (digest, which signature, signer, log and time facts); never keys or certificates.</summary>
    private static void Write(ImageReference image, ImageVerificationResult result, TextWriter w)
    {
        w.WriteLine($"Verified OK: {image.Registry}/{image.Repository}@{result.ImageDigest}");
        w.WriteLine(result.MatchedDigest == result.ImageDigest ? $"  signed digest: {result.MatchedDigest}" : $"  signed digest: {result.MatchedDigest} (the index containing {result.ImageDigest})");
        w.WriteLine($"  signature:  {(result.Signature.Format == AttachmentFormat.Referrer ? "OCI referrer" : "legacy tag")} {result.Signature.Location}");
        if (result.PredicateType is not null)
        {
            w.WriteLine($"  statement:  {result.PredicateType}");
        }

        if (result.Signer.SubjectAlternativeName is not null)
        {
            w.WriteLine($"  identity:   {result.Signer.SubjectAlternativeName}");
            w.WriteLine($"  issuer:     {result.Signer.Issuer}");
        }

        w.WriteLine($"  public key: sha256:{result.Signer.PublicKeySha256}");
        if (result.TransparencyLogIgnored)
        {
            w.WriteLine("  WARNING:    no transparency log checked (--insecure-ignore-tlog)");
        }

        foreach (VerifiedLogEntry entry in result.Details?.LogEntries ?? [])
        {
            w.WriteLine($"  log entry:  {entry.LogUrl} index {entry.LogIndex.ToString(CultureInfo.InvariantCulture)} ({entry.Kind}/{entry.KindVersion})");
        }

        foreach (VerifiedTime time in result.Details?.VerifiedTimes ?? [])
        {
            w.WriteLine($"  verified time: {time.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({time.Kind}, {time.Authority})");
        }

        foreach (RejectedSignature rejected in result.Rejected)
        {
            w.WriteLine($"  rejected:   {rejected.Location} ({rejected.Code})");
        }
    }
}
