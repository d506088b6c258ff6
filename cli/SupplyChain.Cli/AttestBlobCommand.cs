using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChain.Instance;
using SupplyChain.Signing.Bundles;
using SupplyChain.Signing.Keys;
using SupplyChain.Signing.Oidc;

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

    private readonly Argument<string> _artifact = new("artifact") { Description = "The file the attestation is about (or, with --statement, the in-toto statement to sign).", HelpName = "FILE" };
    private readonly Option<string> _predicate = new("--predicate") { Description = "The predicate: a JSON file.", HelpName = "FILE" };
    private readonly Option<string> _type = new("--type") { Description = "The predicate type: slsaprovenance, slsaprovenance1, cyclonedx, spdxjson, custom (default), or any URI.", HelpName = "TYPE", DefaultValueFactory = _ => "custom" };
    private readonly Option<bool> _statement = new("--statement") { Description = "FILE is already an in-toto statement (JSON): sign it as the DSSE payload as-is." };
    private readonly SigningFlags _flags;
    private readonly IPasswordSource _terminal;

    /// <summary>Creates the command and its options.</summary>
    /// <param name="terminal">The environment, the terminal check and password prompts.</param>
    /// <param name="httpHandler">The handler for the signing services (tests); the default HTTP stack when null.</param>
    public AttestBlobCommand(IPasswordSource terminal, HttpMessageHandler? httpHandler = null)
    {
        _terminal = terminal;
        _flags = new SigningFlags(httpHandler);
        Command = new Command("attest-blob", "Sign an in-toto attestation about a file as a DSSE envelope and write a Sigstore bundle.") { _artifact, _predicate, _type, _statement };
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
    public int Run(ParseResult parse, TextWriter stderr)
    {
        string artifactPath = parse.GetRequiredValue(_artifact);
        string outPath = _flags.BundlePath(parse);
        _flags.Validate(parse);
        bool asIs = parse.GetValue(_statement);
        string? predicatePath = parse.GetValue(_predicate);
        if (asIs == (predicatePath is not null))
        {
            throw CliErrors.Usage.ToException(asIs ? "--statement and --predicate cannot be combined" : "--predicate is required (or --statement)");
        }

        string predicateType = asIs ? string.Empty : PredicateType(parse.GetRequiredValue(_type));
        CliFiles.RequireFile(artifactPath, "artifact");
        byte[] payload = asIs
            ? CheckStatement(CliFiles.ReadAll(artifactPath, "artifact", CliLimits.MaxStatementBytes))
            : BuildStatement(artifactPath, predicateType, CliFiles.ReadAll(predicatePath!, "--predicate", CliLimits.MaxPredicateBytes));

        using LocalInstance? instance = _flags.OpenInstance(parse, _terminal, stderr);
        using KeyFileSigner? key = _flags.LoadKey(parse, _terminal, stderr);
        IdentityToken? token = key is null ? _flags.GetToken(parse, _terminal, stderr, instance) : null;
        using BundleSigner signer = instance is null ? _flags.CreateSigner(parse) : SigningFlags.CreateSigner(instance);
        byte[] bundle = key is null
            ? signer.SignDsseAsync(InTotoPayloadType, payload, token!).GetAwaiter().GetResult().ToJson()
            : signer.SignDsseAsync(InTotoPayloadType, payload, key, null).GetAwaiter().GetResult().ToJson();

        SigningFlags.WriteAtomically(outPath, bundle);
        stderr.WriteLine(token is null
            ? $"Wrote attestation bundle to {outPath} (signed with the key in --key; verified against the trusted root)"
            : $"Wrote attestation bundle to {outPath} (signed as {token.Subject}, issuer {token.Issuer}; verified against the trusted root)");
        if (instance is not null && token is not null)
        {
            stderr.WriteLine(InstanceOption.VerifyHint(_flags.InstanceValue(parse)!, artifactPath, outPath, token.Subject, token.Issuer));
        }

        return ExitCodes.Success;
    }

    /// <summary>Builds an in-toto Statement v1 over <paramref name="artifactPath"/> with the predicate JSON.</summary>
    internal static byte[] BuildStatement(string artifactPath, string predicateType, byte[] predicateJson)
    {
        JsonNode? predicate;
        try
        {
            predicate = JsonNode.Parse(predicateJson);
        }
        catch (JsonException ex)
        {
            throw CliErrors.PredicateInvalid.ToException($"--predicate: {ex.Message}", ex);
        }

        if (predicate is not JsonObject)
        {
            throw CliErrors.PredicateInvalid.ToException("--predicate: the predicate must be a JSON object");
        }

        byte[] digest;
        using (var artifact = new FileStream(artifactPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            digest = SHA256.HashData(artifact);
        }

        var statement = new JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new JsonArray(new JsonObject
            {
                ["name"] = Path.GetFileName(artifactPath),
                ["digest"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(digest) },
            }),
            ["predicateType"] = predicateType,
            ["predicate"] = predicate,
        };
        return Encoding.UTF8.GetBytes(statement.ToJsonString());
    }

    private static byte[] CheckStatement(byte[] json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("_type", out JsonElement type) || type.ValueKind != JsonValueKind.String
                || !document.RootElement.TryGetProperty("subject", out JsonElement subject) || subject.ValueKind != JsonValueKind.Array)
            {
                throw CliErrors.PredicateInvalid.ToException("the statement has no _type or subject array");
            }
        }
        catch (JsonException ex)
        {
            throw CliErrors.PredicateInvalid.ToException($"the statement: {ex.Message}", ex);
        }

        return json;
    }
}
