using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Attestations;
using SupplyChain.Instance;
using SupplyChain.Oci.Registry;
using SupplyChain.Oci.Signatures;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Provenance;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli sign IMAGE</c> and <c>signcli attest IMAGE --predicate F --type T</c>: like cosign 3, resolve a tag to its
/// digest first (the digest is what is signed, and printed), sign an in-toto statement about it (<c>sign/v1</c> for a
/// signature, the predicate for an attestation) as a DSSE bundle, and attach it as an OCI 1.1 referrer; with
/// <c>--legacy-format</c> write cosign's <c>.sig</c> (simple-signing message signature) or <c>.att</c> tag instead.
/// <c>--recursive</c> also signs every platform manifest of an index. Signing flags as sign-blob, <c>--instance</c> included
/// (the embedded local Sigstore instance, in process). IMAGE may be an OCI layout (<c>oci:PATH[:TAG]</c>). docs/cli.md, "sign IMAGE".
/// </summary>
internal sealed class SignImageCommand
{
    private readonly Argument<string> _image = new("image") { Description = "The image: registry/repository[:tag][@digest]. A tag is resolved to its digest first.", HelpName = "IMAGE" };
    private readonly Option<bool> _legacy = new("--legacy-format") { Description = "Write the legacy cosign format (sha256-<hex>.sig / .att tag) for skopeo and cosign 2, instead of an OCI 1.1 referrer." };
    private readonly Option<bool> _recursive = new("--recursive") { Description = "For an index: also sign each platform manifest it lists." };
    private readonly Option<string> _predicate = new("--predicate") { Description = "The predicate: a JSON object file (or --provenance).", HelpName = "FILE" };
    private readonly ProvenanceFlags _provenance;
    private readonly BaseImageFlags _baseImages = new();
    private readonly Option<string> _type = new("--type") { Description = "The predicate type: slsaprovenance, slsaprovenance1, cyclonedx, spdx, spdxjson, vuln, openvex, link, custom (default), or any URI.", HelpName = "TYPE", DefaultValueFactory = _ => "custom" };
    private readonly SigningFlags _flags;
    private readonly RegistryFlags _registry;
    private readonly IPasswordSource _terminal;
    private readonly bool _attest;

    /// <summary>Creates <c>sign</c> (or <c>attest</c> when <paramref name="attest"/>).</summary>
    public SignImageCommand(bool attest, IPasswordSource terminal, HttpMessageHandler? httpHandler, Func<OciRegistryClientOptions, IOciRegistry>? registryFactory, ILoggerFactory? loggers = null)
    {
        _attest = attest;
        _terminal = terminal;
        _flags = new SigningFlags(httpHandler, withBundle: false, loggers: loggers);
        _provenance = new ProvenanceFlags(loggers);
        _registry = new RegistryFlags(registryFactory);
        Command = attest
            ? new Command("attest", "Sign an in-toto attestation about an image and attach it (OCI 1.1 referrer, or --legacy-format).") { _image, _predicate, _type, _legacy, _recursive }
            : new Command("sign", "Sign an image digest (keyless, or --key) and attach the signature (OCI 1.1 referrer, or --legacy-format).") { _image, _legacy, _recursive };
        if (attest)
        {
            foreach (Option option in _provenance.Options.Concat(_baseImages.Options))
            {
                Command.Options.Add(option);
            }
        }

        _flags.AddTo(Command);
        _registry.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        _flags.Validate(parse);
        ImageReference image = RegistryFlags.Image(parse.GetRequiredValue(_image));
        (string? predicateType, byte[]? predicate, ProvenancePredicate? provenance) = _attest ? await PredicateAsync(parse, stderr, cancellationToken).ConfigureAwait(false) : (null, null, null);
        bool legacy = parse.GetValue(_legacy);
        using LocalInstance? instance = _flags.OpenInstance(parse, _terminal, stderr);
        using BundleSigner signer = instance is null ? _flags.CreateSigner(parse) : _flags.CreateSigner(instance);
        if (legacy)
        {
            RequireRekorV1(signer);
        }

        IOciRegistry registry = _registry.Create(parse, _terminal, [image, .. _attest ? _baseImages.Named(parse) : []]);
        try
        {
            OciDescriptor subject = await registry.ResolveAsync(image, cancellationToken).ConfigureAwait(false);
            if (provenance is not null && _baseImages.Requested(parse))
            {
                List<ProvenanceDependency> bases = await _baseImages.ResolveAsync(parse, registry, image.WithDigest(subject.Digest), stderr, cancellationToken).ConfigureAwait(false);
                predicate = provenance.WithResolvedDependencies(bases).ToJsonBytes();
            }

            List<OciDescriptor> targets = [subject];
            if (parse.GetValue(_recursive) && await registry.TryGetManifestAsync(image.WithDigest(subject.Digest), cancellationToken).ConfigureAwait(false) is { } manifest && PlatformManifests.IsIndex(manifest))
            {
                targets.AddRange(PlatformManifests.List(manifest));
            }

            using KeyFileSigner? key = _flags.LoadKey(parse, _terminal, stderr);
            IdentityToken? token = key is null ? await _flags.GetTokenAsync(parse, _terminal, stderr, instance, cancellationToken).ConfigureAwait(false) : null;
            var attacher = new ImageSignatureAttacher(registry);
            foreach (OciDescriptor target in targets)
            {
                ImageReference at = image.WithDigest(target.Digest);
                stderr.WriteLine($"{(_attest ? "Attesting" : "Signing")} {at.Registry}/{at.Repository}@{target.Digest}");
                OciDescriptor pushed = _attest || !legacy
                    ? await AttachStatementAsync(attacher, signer, key, token, at, target, predicateType, predicate, legacy, cancellationToken).ConfigureAwait(false)
                    : await AttachSimpleSigningAsync(attacher, signer, key, token, at, target.Digest, cancellationToken).ConfigureAwait(false);
                stderr.WriteLine(legacy
                    ? $"Pushed {(_attest ? "attestation" : "signature")} to {at.Registry}/{at.Repository}:{target.Digest.Replace(':', '-')}.{(_attest ? "att" : "sig")} ({pushed.Digest})"
                    : $"Pushed {(_attest ? "attestation" : "signature")} referrer {pushed.Digest}");
            }

            stderr.WriteLine(token is null ? "Signed with the key in --key." : $"Signed as {token.Subject}, issuer {token.Issuer}.");
            return ExitCodes.Success;
        }
        finally
        {
            RegistryFlags.Release(registry);
        }
    }

    /// <summary>
    /// cosign's legacy layer (<c>dev.sigstore.cosign/bundle</c>: SignedEntryTimestamp and Payload) has no room for an
    /// inclusion proof, and Rekor v2 gives no signed entry timestamp: the layer would carry an empty SET and fail
    /// verification (SC1009). cosign 3 likewise takes the legacy path only with a Rekor v1 URL, not with a signing config.
    /// Refused before anything is logged or pushed.
    /// </summary>
    private static void RequireRekorV1(BundleSigner signer)
    {
        if (signer.GetTransparencyLogVersions().Contains(2))
        {
            throw CliErrors.LegacyFormatNeedsRekorV1.ToException(
                "the log selected (from the signing config or --rekor-version) is Rekor v2, which gives no signed entry timestamp for the .sig/.att layer to carry; "
                + "sign without --legacy-format (an OCI 1.1 referrer, which cosign 3 reads), or log to Rekor v1 (--rekor-version 1, or --rekor-url)");
        }
    }

    /// <summary>The predicate: <c>--predicate</c> with <c>--type</c> (an SBOM type checked as one), or <c>--provenance</c> from the CI run.</summary>
    private async Task<(string Type, byte[] Predicate, ProvenancePredicate? Provenance)> PredicateAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        _provenance.Validate(parse);
        bool provenance = _provenance.Requested(parse);
        _baseImages.Validate(parse, provenance);
        string? path = parse.GetValue(_predicate);
        if (provenance == (path is not null))
        {
            throw CliErrors.Usage.ToException(provenance ? "--provenance and --predicate cannot be combined" : "--predicate is required (or --provenance)");
        }

        if (provenance)
        {
            if (parse.GetResult(_type) is { Implicit: false } && ImageStatements.ResolvePredicateType(parse.GetRequiredValue(_type)) != ProvenancePredicate.SlsaV1PredicateType)
            {
                throw CliErrors.Usage.ToException("--provenance writes SLSA v1 provenance; --type must be slsaprovenance1 (or be left out)");
            }

            ProvenancePredicate built = await _provenance.BuildAsync(parse, _terminal, stderr, cancellationToken).ConfigureAwait(false);
            return (ProvenancePredicate.SlsaV1PredicateType, built.ToJsonBytes(), built);
        }

        string type = ImageStatements.ResolvePredicateType(parse.GetRequiredValue(_type));
        byte[] bytes = CliFiles.ReadAll(path!, "--predicate", CliLimits.MaxPredicateBytes);
        if (SbomDocument.FormatOf(type) is not null)
        {
            JsonObject parsed;
            try
            {
                // DOM on purpose: an SBOM predicate is a document of arbitrary shape beyond what SbomDocument.Check reads.
                parsed = JsonNode.Parse(bytes) as JsonObject ?? throw CliErrors.PredicateInvalid.ToException("--predicate: the predicate must be a JSON object");
            }
            catch (JsonException ex)
            {
                throw CliErrors.PredicateInvalid.ToException($"--predicate: {ex.Message}", ex);
            }

            AttestBlobCommand.CheckSbom(type, parsed, stderr);
        }

        return (type, bytes, null);
    }

    private static async Task<OciDescriptor> AttachStatementAsync(ImageSignatureAttacher attacher, BundleSigner signer, KeyFileSigner? key, IdentityToken? token, ImageReference at, OciDescriptor target, string? predicateType, byte[]? predicate, bool legacy, CancellationToken cancellationToken)
    {
        byte[] statement = predicateType is null ? ImageStatements.Signature(at, target.Digest) : ImageStatements.Attestation(at, target.Digest, predicateType, predicate);
        byte[] bundle = (key is null
            ? await signer.SignDsseAsync(Dsse.InTotoPayloadType, statement, token!, cancellationToken).ConfigureAwait(false)
            : await signer.SignDsseAsync(Dsse.InTotoPayloadType, statement, key, null, cancellationToken).ConfigureAwait(false)).ToJson();
        return legacy
            ? await attacher.AttachLegacyAsync(at, target.Digest, bundle, default, cancellationToken).ConfigureAwait(false)
            : await attacher.AttachBundleAsync(at, target, bundle, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<OciDescriptor> AttachSimpleSigningAsync(ImageSignatureAttacher attacher, BundleSigner signer, KeyFileSigner? key, IdentityToken? token, ImageReference at, string digest, CancellationToken cancellationToken)
    {
        byte[] payload = SimpleSigningPayload.Create(at.Registry + "/" + at.Repository, digest);
        byte[] bundle;
        using (var stream = new MemoryStream(payload, writable: false))
        {
            bundle = (key is null
                ? await signer.SignMessageAsync(stream, token!, cancellationToken).ConfigureAwait(false)
                : await signer.SignMessageAsync(stream, key, null, cancellationToken).ConfigureAwait(false)).ToJson();
        }

        return await attacher.AttachLegacyAsync(at, digest, bundle, payload, cancellationToken).ConfigureAwait(false);
    }
}
