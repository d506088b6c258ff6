using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Verification;

namespace SupplyChain.Cli;

/// <summary>What <c>verify-blob-attestation</c> prints: the checks that passed (text), or the verification result with the whole verified statement (JSON).</summary>
internal static class AttestationOutput
{
    /// <summary>The result JSON with <c>statement</c> replaced by the whole verified in-toto statement (predicate included).</summary>
    public static string Json(VerificationResult result, SigstoreBundle bundle)
    {
        JsonObject json = JsonNode.Parse(result.ToJson())!.AsObject();
        if (bundle.DsseEnvelope is { } envelope)
        {
            // The payload verified (signature, subject) before this runs; it is the statement the result summarises.
            json["statement"] = JsonNode.Parse(envelope.Payload.Span);
        }

        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The checks in text form (stderr), after the verification summary.</summary>
    public static void Write(VerificationResult result, SlsaProvenance? provenance, AttestationRequirements requirements, TextWriter w)
    {
        w.WriteLine($"  predicate:  {result.Statement?.PredicateType}");
        if (provenance is not null)
        {
            w.WriteLine($"  build type: {provenance.BuildType}");
            w.WriteLine($"  builder:    {provenance.BuilderId}");
            if (provenance.SourceRepository is not null)
            {
                w.WriteLine($"  source:     {provenance.SourceRepository}@{provenance.SourceRef} ({provenance.SourceDigest})");
            }
        }

        foreach ((string? value, string name) in new[] { (requirements.SourceRepository, "source repository"), (requirements.SourceRef, "source ref"), (requirements.SourceDigest, "source digest"), (requirements.SignerWorkflow, "signer workflow"), (requirements.BuilderId, "builder id") })
        {
            if (value is not null)
            {
                w.WriteLine($"  checked:    {name} {value}");
            }
        }

        if (requirements.DenySelfHostedRunners)
        {
            w.WriteLine("  checked:    platform-hosted runner");
        }
    }
}
