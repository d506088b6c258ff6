using System.Text.Json.Nodes;
using SupplyChain.Core.Attestations;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Verification;

namespace SupplyChain.Cli;

/// <summary>What <c>verify-blob-attestation</c> prints: the checks that passed (text), or the verification result with the whole verified statement (JSON).</summary>
internal static class AttestationOutput
{
    // A writer: the DOM here merges the result's own ToJson bytes with the verified statement, whose predicate is free-form.

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

    /// <summary><c>verify-attestation --output json</c>: the image verification result with the verified statement.</summary>
    public static string ImageJson(byte[] resultJson, InTotoStatement? statement)
    {
        JsonObject json = JsonNode.Parse(resultJson)!.AsObject();
        if (statement is not null)
        {
            var subjects = new JsonArray();
            foreach (InTotoSubject subject in statement.Subjects)
            {
                var digest = new JsonObject();
                foreach (KeyValuePair<string, string> d in subject.Digests)
                {
                    digest[d.Key] = d.Value;
                }

                subjects.Add((JsonNode)new JsonObject { ["name"] = subject.Name, ["digest"] = digest });
            }

            json["statement"] = new JsonObject
            {
                ["_type"] = statement.Type,
                ["subject"] = subjects,
                ["predicateType"] = statement.PredicateType,
                ["predicate"] = statement.Predicate is { } predicate ? JsonNode.Parse(predicate.GetRawText()) : null,
            };
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
