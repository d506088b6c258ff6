using System.Security.Cryptography;

namespace SupplyChain.Policy.Tests.Parsing;

/// <summary>Policy texts shared by the parsing tests.</summary>
internal static class PolicySamples
{
    public static readonly string PublicKeyPem = CreatePem();

    public const string Yaml = """
        apiVersion: supplychain.dev/v1alpha1
        kind: ImagePolicy
        defaultAction: deny
        mode: enforce
        rules:
          - name: apps
            images: ["registry.example/apps/**"]
            authorities:
              - name: ci
                keyless:
                  issuer: https://token.actions.githubusercontent.com
                  subjectRegExp: https://github\.com/org/[^/]+/\.github/workflows/release\.yml@refs/heads/main
              - name: release-key
                key:
                  pem: |
        PEM
            threshold: 2
            attestations:
              - predicateType: https://slsa.dev/provenance/v1
                authorities: [ci]
            lineage:
              required: true
              trustedRoots: [scratch, "registry.example/base/*", "sha256:0123456789012345678901234567890123456789012345678901234567890123"]
              maxDepth: 4
              allowMissingClaim: false
          - name: base
            images: ["registry.example/base/*"]
            authorities:
              - name: publisher
                keyless:
                  issuer: https://accounts.example
                  subject: publisher@example.com
        """;

    public static string YamlWithKey() => Yaml.Replace("PEM", string.Join('\n', PublicKeyPem.Trim().Split('\n').Select(l => "                    " + l)), StringComparison.Ordinal);

    public static string Json() => $$"""
        {
          "apiVersion": "supplychain.dev/v1alpha1",
          "kind": "ImagePolicy",
          "defaultAction": "deny",
          "mode": "enforce",
          "rules": [
            {
              "name": "apps",
              "images": ["registry.example/apps/**"],
              "authorities": [
                { "name": "ci", "keyless": { "issuer": "https://token.actions.githubusercontent.com",
                  "subjectRegExp": "https://github\\.com/org/[^/]+/\\.github/workflows/release\\.yml@refs/heads/main" } },
                { "name": "release-key", "key": { "pem": {{System.Text.Json.JsonSerializer.Serialize(PublicKeyPem)}} } }
              ],
              "threshold": 2,
              "attestations": [ { "predicateType": "https://slsa.dev/provenance/v1", "authorities": ["ci"] } ],
              "lineage": { "required": true,
                "trustedRoots": ["scratch", "registry.example/base/*", "sha256:0123456789012345678901234567890123456789012345678901234567890123"],
                "maxDepth": 4, "allowMissingClaim": false }
            },
            {
              "name": "base",
              "images": ["registry.example/base/*"],
              "authorities": [ { "name": "publisher", "keyless": { "issuer": "https://accounts.example", "subject": "publisher@example.com" } } ]
            }
          ]
        }
        """;

    /// <summary>A minimal valid policy with <paramref name="rules"/> (YAML) appended.</summary>
    public static string Minimal(string rules) => "apiVersion: supplychain.dev/v1alpha1\nkind: ImagePolicy\n" + rules;

    public static string CreatePem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportSubjectPublicKeyInfoPem();
    }
}
