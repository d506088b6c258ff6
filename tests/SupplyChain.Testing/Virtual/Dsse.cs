using System.Globalization;
using System.Text;

namespace SupplyChain.Testing.Virtual;

/// <summary>DSSE helpers (secure-systems-lab/dsse protocol.md).</summary>
public static class Dsse
{
    /// <summary>The in-toto payload type.</summary>
    public const string InTotoPayloadType = "application/vnd.in-toto+json";

    /// <summary>PAE(type, body), as the verifier computes it (SupplyChain.Core.Attestations.Dsse).</summary>
    /// <param name="payloadType">The payload type.</param>
    /// <param name="payload">The payload.</param>
    public static byte[] PreAuthenticationEncoding(string payloadType, ReadOnlySpan<byte> payload) =>
        SupplyChain.Core.Attestations.Dsse.PreAuthenticationEncoding(payloadType, payload);

    /// <summary>An in-toto Statement v1 whose single subject is <paramref name="name"/> with the SHA-256 of <paramref name="artifact"/>.</summary>
    /// <param name="name">The subject name.</param>
    /// <param name="artifact">The subject's bytes.</param>
    /// <param name="predicateType">The predicate type.</param>
    public static byte[] InTotoStatement(string name, ReadOnlySpan<byte> artifact, string predicateType = "https://slsa.dev/provenance/v1")
    {
        var statement = new System.Text.Json.Nodes.JsonObject
        {
            ["_type"] = "https://in-toto.io/Statement/v1",
            ["subject"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = name,
                ["digest"] = new System.Text.Json.Nodes.JsonObject { ["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(artifact)) },
            }),
            ["predicateType"] = predicateType,
            ["predicate"] = new System.Text.Json.Nodes.JsonObject(),
        };
        return Encoding.UTF8.GetBytes(statement.ToJsonString());
    }
}
