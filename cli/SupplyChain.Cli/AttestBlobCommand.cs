using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Errors;
using SupplyChain.Instance;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;
using SupplyChain.Signing.Provenance;

namespace SupplyChain.Cli;

/// <summary>
/// <c>signcli attest-blob FILE --predicate P --type T --bundle OUT</c>: like <c>cosign attest-blob --bundle</c>,
/// builds an in-toto Statement v1 (subject: FILE's name and SHA-256; predicate: P's JSON) and signs it as a DSSE
/// envelope. With <c>--statement</c> the file is already an in-toto statement and is signed as-is (the conformance
/// <c>sign-bundle --in-toto</c> path). Identity, key and service flags are those of <c>sign-blob</c>. docs/cli.md, "attest-blob".
/// </summary>
internal sealed class AttestBlobCommand
{
    /// <summary>The DSSE payload type of in-toto statements.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    private static readonly Dictionary<string, string> ShortTypes = new(StringComparer.Ordinal)
    {
        ["slsaprovenance"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance02"] = "https://slsa.dev/provenance/v0.2",
        ["slsaprovenance1"] = "https://slsa.dev/provenance/v1",
        ["cyclonedx"] = "https://cyclonedx.org/bom",
        ["spdxjson"] = "https://spdx.dev/Document",
        ["custom"] = "https://cosign.sigstore.dev/attestation/v1",
    };

    private readonly Argument<string[]> _artifacts = new("artifact") { Description = "The files the attestation is about, one subject each (or, with --statement, the one in-toto statement to sign).", HelpName = "FILE", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string> _predicate = new("--predicate") { Description = "The predicate: a JSON file.", HelpName = "FILE" };
    private readonly Option<string> _type = new("--type") { Description = "The predicate type: slsaprovenance, slsaprovenance1, cyclonedx, spdxjson, custom (default), or any URI. cyclonedx and spdxjson predicates must be CycloneDX 1.4-1.6 / SPDX 2.3 JSON.", HelpName = "TYPE", DefaultValueFactory = _ => "custom" };
    private readonly Option<bool> _statement = new("--statement") { Description = "FILE is already an in-toto statement (JSON): sign it as the DSSE payload as-is." };
    private readonly Option<string> _subjectChecksums = new("--subject-checksums") { Description = "Subjects from a sha256sum-format file (HEX  NAME per line), besides or instead of FILEs.", HelpName = "FILE" };
    private readonly ProvenanceFlags _provenance;
    private readonly SigningFlags _flags;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates the command and its options.</summary>
    /// <param name="terminal">The environment, the terminal check and password prompts.</param>
    /// <param name="httpHandler">The handler for the signing services (tests); the default HTTP stack when null.</param>
    /// <param name="loggers">Where the signing clients log (stderr).</param>
    public AttestBlobCommand(IPasswordSource terminal, HttpMessageHandler? httpHandler = null, ILoggerFactory? loggers = null)
    {
        _terminal = terminal;
        _flags = new SigningFlags(httpHandler, loggers: loggers);
        _provenance = new ProvenanceFlags(loggers);
        Command = new Command("attest-blob", "Sign an in-toto attestation about files as a DSSE envelope and write a Sigstore bundle.") { _artifacts, _predicate, _type, _statement, _subjectChecksums };
        foreach (Option option in _provenance.Options)
        {
            Command.Options.Add(option);
        }

        _flags.AddTo(Command);
    }

    /// <summary>The System.CommandLine command.</summary>
    public Command Command { get; }

    /// <summary>Maps cosign's short predicate type names to URIs; other values must be absolute URIs.</summary>
    internal static string PredicateType(string type)
    {
        if (ShortTypes.TryGetValue(type, out string? uri))
        {
            return uri;
        }

        return Uri.TryCreate(type, UriKind.Absolute, out Uri? parsed) && parsed.Scheme.Length > 1
            ? type
            : throw CliErrors.PredicateTypeUnknown.ToException($"--type '{type}' (short names: {string.Join(", ", ShortTypes.Keys)})");
    }

    /// <summary>Runs the command for a parse result without errors.</summary>
    /// <returns>The exit code.</returns>
    public async Task<int> RunAsync(ParseResult parse, TextWriter stderr, CancellationToken cancellationToken)
    {
        string[] artifacts = parse.GetValue(_artifacts) ?? [];
        string outPath = _flags.BundlePath(parse);
        _flags.Validate(parse);
        _provenance.Validate(parse);
        bool asIs = parse.GetValue(_statement);
        bool provenance = _provenance.Requested(parse);
        string? predicatePath = parse.GetValue(_predicate);
        string? checksumsPath = parse.GetValue(_subjectChecksums);
        if (asIs)
        {
            if (predicatePath is not null || provenance || checksumsPath is not null || artifacts.Length != 1)
            {
                throw CliErrors.Usage.ToException("--statement signs one statement file as-is: no --predicate, --provenance or --subject-checksums, exactly one FILE");
            }
        }
        else
        {
            if (provenance == (predicatePath is not null))
            {
                throw CliErrors.Usage.ToException(provenance ? "--provenance and --predicate cannot be combined" : "--predicate is required (or --provenance, or --statement)");
            }

            if (artifacts.Length == 0 && checksumsPath is null)
            {
                throw CliErrors.Usage.ToException("no subject: give FILEs or --subject-checksums");
            }

            if (provenance && parse.GetResult(_type) is { Implicit: false } && PredicateType(parse.GetRequiredValue(_type)) != ProvenancePredicate.SlsaV1PredicateType)
            {
                throw CliErrors.Usage.ToException("--provenance writes SLSA v1 provenance; --type must be slsaprovenance1 (or be left out)");
            }
        }

        foreach (string artifact in artifacts)
        {
            CliFiles.RequireFile(artifact, "artifact");
        }

        byte[] payload;
        if (asIs)
        {
            payload = CheckStatement(CliFiles.ReadAll(artifacts[0], "artifact", CliLimits.MaxStatementBytes));
        }
        else
        {
            List<InTotoSubject> subjects = artifacts.Length > 0 ? [.. StatementSubjects.FromFiles(artifacts)] : [];
            if (checksumsPath is not null)
            {
                subjects.AddRange(StatementSubjects.FromChecksums(CliFiles.ReadAll(checksumsPath, "--subject-checksums", CliLimits.MaxPredicateBytes)));
            }

            (string predicateType, JsonObject predicate) = provenance
                ? (ProvenancePredicate.SlsaV1PredicateType, (await _provenance.BuildAsync(parse, _terminal, stderr, cancellationToken).ConfigureAwait(false)).ToJsonObject())
                : (PredicateType(parse.GetRequiredValue(_type)), ParsePredicate(CliFiles.ReadAll(predicatePath!, "--predicate", CliLimits.MaxPredicateBytes)));
            CheckSbom(predicateType, predicate, stderr);
            payload = StatementSubjects.Statement(subjects, predicateType, predicate);
        }

        using LocalInstance? instance = _flags.OpenInstance(parse, _terminal, stderr);
        using KeyFileSigner? key = _flags.LoadKey(parse, _terminal, stderr);
        IdentityToken? token = key is null ? await _flags.GetTokenAsync(parse, _terminal, stderr, instance, cancellationToken).ConfigureAwait(false) : null;
        using BundleSigner signer = instance is null ? _flags.CreateSigner(parse) : _flags.CreateSigner(instance);
        byte[] bundle = (key is null
            ? await signer.SignDsseAsync(InTotoPayloadType, payload, token!, cancellationToken).ConfigureAwait(false)
            : await signer.SignDsseAsync(InTotoPayloadType, payload, key, null, cancellationToken).ConfigureAwait(false)).ToJson();
        cancellationToken.ThrowIfCancellationRequested();

        SigningFlags.WriteAtomically(outPath, bundle);
        stderr.WriteLine(token is null
            ? $"Wrote attestation bundle to {outPath} (signed with the key in --key; verified against the trusted root)"
            : $"Wrote attestation bundle to {outPath} (signed as {token.Subject}, issuer {token.Issuer}; verified against the trusted root)");
        if (instance is not null && token is not null && artifacts.Length > 0)
        {
            stderr.WriteLine(InstanceOption.VerifyHint(_flags.InstanceValue(parse)!, artifacts[0], outPath, token.Subject, token.Issuer));
        }

        return ExitCodes.Success;
    }

    /// <summary>Builds an in-toto Statement v1 over <paramref name="artifactPath"/> with the predicate JSON.</summary>
    internal static byte[] BuildStatement(string artifactPath, string predicateType, byte[] predicateJson) =>
        StatementSubjects.Statement(StatementSubjects.FromFiles([artifactPath]), predicateType, ParsePredicate(predicateJson));

    /// <summary>
    /// A predicate whose type is an SBOM (cyclonedx, spdxjson) must be one: CycloneDX 1.4-1.6 or SPDX 2.3 JSON with its
    /// schema's required structure (SC1631, SC1632), before anything is signed.
    /// </summary>
    internal static void CheckSbom(string predicateType, JsonObject predicate, TextWriter stderr)
    {
        if (SbomDocument.FormatOf(predicateType) is not { } format)
        {
            return;
        }

        // DOM on purpose: an SBOM predicate is a document of arbitrary shape beyond what SbomDocument.Check reads.
        using JsonDocument document = JsonDocument.Parse(predicate.ToJsonString());
        SbomDocument sbom = SbomDocument.Check(document.RootElement, format);
        stderr.WriteLine($"SBOM: {(format == SbomFormat.CycloneDx ? "CycloneDX" : "SPDX")} {sbom.SpecVersion}, {sbom.ComponentCount} components{(sbom.Name is null ? string.Empty : ", describing " + sbom.Name)}");
    }

    private static JsonObject ParsePredicate(byte[] predicateJson)
    {
        JsonNode? predicate;
        try
        {
            // DOM on purpose: an in-toto predicate is free-form by definition; it is carried into the statement as it is.
            predicate = JsonNode.Parse(predicateJson);
        }
        catch (JsonException ex)
        {
            throw CliErrors.PredicateInvalid.ToException($"--predicate: {ex.Message}", ex);
        }

        return predicate as JsonObject ?? throw CliErrors.PredicateInvalid.ToException("--predicate: the predicate must be a JSON object");
    }

    /// <summary>
    /// The statement file, signed byte for byte only if verifiers will read it as this signer does: it must pass
    /// <see cref="InTotoStatement.Parse"/>, the reader of our own verifier (in-toto Statement v1 or v0.1, a
    /// <c>predicateType</c>, a non-empty <c>subject</c> of digest sets, one JSON value, no duplicate key at any level).
    /// A duplicate <c>subject</c>, <c>_type</c> or <c>predicateType</c> is the parser differential to close: Go's and
    /// JavaScript's readers take the last value, so the signer's view and a verifier's could name different subjects
    /// (RFC 8259 section 4: "the behavior of software that receives such an object is unpredictable").
    /// SC6008 (malformed input, exit 2) with the verifier's reason: the file is the user's input, not a verification.
    /// </summary>
    private static byte[] CheckStatement(byte[] json)
    {
        try
        {
            InTotoStatement.Parse(json);
        }
        catch (SupplyChainException ex) when (ex.Error == CoreErrors.InTotoStatementMalformed)
        {
            throw CliErrors.PredicateInvalid.ToException($"the statement is not one verifiers accept ({ex.Message})", ex);
        }

        return json;
    }
}
