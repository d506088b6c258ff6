using System.Security.Cryptography;
using SupplyChain.Core.Errors;
using SupplyChain.Core.Keys;
using SupplyChain.Core.Verification;
using SupplyChain.Oci.Lineage;
using SupplyChain.Oci.Registry;
using SupplyChain.Policy.Model;

namespace SupplyChain.Policy.Parsing;

/// <summary>
/// Turns the document tree into an <see cref="ImagePolicy"/>, checking the closed schema of docs/policy.md: every key
/// known (SC5004), every required value present and typed (SC5006), names unique, thresholds within their
/// authorities, regular expressions compiled (anchored, non-backtracking, with a timeout, by Core's StringMatcher).
/// </summary>
internal static class PolicyBinder
{
    private const string ModeKey = "mode";

    public static ImagePolicy Bind(PolicyNode root, string? baseDirectory)
    {
        MappingReader top = MappingReader.From(root, string.Empty);
        string apiVersion = top.Optional("apiVersion") is { } v ? MappingReader.AsString(v, "apiVersion") : string.Empty;
        string kind = top.Optional("kind") is { } k ? MappingReader.AsString(k, "kind") : string.Empty;
        if (apiVersion != ImagePolicy.SupportedApiVersion || kind != ImagePolicy.PolicyKind)
        {
            throw PolicyErrors.PolicyUnsupportedVersion.ToException(
                $"expected apiVersion {ImagePolicy.SupportedApiVersion} and kind {ImagePolicy.PolicyKind}, got '{Shorten(apiVersion)}' and '{Shorten(kind)}'");
        }

        PolicyAction defaultAction = top.OptionalString("defaultAction") switch
        {
            null or "deny" => PolicyAction.Deny,
            "allow" => PolicyAction.Allow,
            _ => throw PolicyErrors.PolicyInvalidValue.ToException("defaultAction must be 'deny' or 'allow'"),
        };

        // The admission webhook's mode (enforce / warn / audit); the evaluator does not interpret it.
        PolicyMode mode = BindMode(top, ModeKey) ?? PolicyMode.Enforce;
        bool denyTags = top.OptionalBool("denyTags", false);
        List<PolicyNode> ruleNodes = top.OptionalSequence("rules");
        top.EnsureAllRead();

        var rules = new List<PolicyRule>();
        for (int i = 0; i < ruleNodes.Count; i++)
        {
            PolicyRule rule = BindRule(MappingReader.From(ruleNodes[i], $"rules[{i}]"), baseDirectory);
            if (rules.Any(r => r.Name == rule.Name))
            {
                throw PolicyErrors.PolicyInvalidValue.ToException($"rules[{i}].name '{rule.Name}' is used by an earlier rule");
            }

            rules.Add(rule);
        }

        return new ImagePolicy(defaultAction, mode, denyTags, rules);
    }

    private static PolicyRule BindRule(MappingReader rule, string? baseDirectory)
    {
        string name = rule.RequiredString("name");
        List<string> images = rule.OptionalStrings("images");
        if (images.Count == 0)
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{rule.Child("images")} must list at least one image-name glob");
        }

        var patterns = images.Select((g, i) => ImageGlob(g, $"{rule.Child("images")}[{i}]", baseDirectory)).ToList();
        var namespaces = rule.OptionalStrings("namespaces").Select((g, i) => NamespacePattern(g, $"{rule.Child("namespaces")}[{i}]")).ToList();
        PolicyMode? mode = BindMode(rule, ModeKey);
        PolicyAction onRegistryError = rule.OptionalString("onRegistryError") switch
        {
            null or "deny" => PolicyAction.Deny,
            "allow" => PolicyAction.Allow,
            _ => throw PolicyErrors.PolicyInvalidValue.ToException($"{rule.Child("onRegistryError")} must be 'deny' or 'allow'"),
        };
        List<PolicyNode> authorityNodes = rule.OptionalSequence("authorities");
        if (authorityNodes.Count == 0)
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{rule.Child("authorities")} must name at least one signer");
        }

        var authorities = new List<PolicyAuthority>();
        for (int i = 0; i < authorityNodes.Count; i++)
        {
            PolicyAuthority authority = BindAuthority(MappingReader.From(authorityNodes[i], $"{rule.Child("authorities")}[{i}]"), baseDirectory);
            if (authorities.Any(a => a.Name == authority.Name))
            {
                throw PolicyErrors.PolicyInvalidValue.ToException($"{rule.Child("authorities")}[{i}].name '{authority.Name}' is used twice in the rule");
            }

            authorities.Add(authority);
        }

        int threshold = rule.OptionalInt("threshold", 1, 1, authorities.Count);
        List<PolicyNode> attestationNodes = rule.OptionalSequence("attestations");
        var attestations = attestationNodes
            .Select((node, i) => BindAttestation(MappingReader.From(node, $"{rule.Child("attestations")}[{i}]"), authorities))
            .ToList();
        LineageRequirement? lineage = rule.Optional("lineage") is { } lineageNode
            ? BindLineage(MappingReader.From(lineageNode, rule.Child("lineage")), baseDirectory)
            : null;
        rule.EnsureAllRead();
        return new PolicyRule(name, patterns, namespaces, authorities, threshold, attestations, lineage, mode, onRegistryError);
    }

    private static PolicyMode? BindMode(MappingReader mapping, string key) => mapping.OptionalString(key) switch
    {
        null => null,
        "enforce" => PolicyMode.Enforce,
        "warn" => PolicyMode.Warn,
        "audit" => PolicyMode.Audit,
        _ => throw PolicyErrors.PolicyInvalidValue.ToException($"{mapping.Child(key)} must be 'enforce', 'warn' or 'audit'"),
    };

    /// <summary>An image-name glob, checked (SC5006) and normalised as image names are (SC5010, <see cref="ImageGlobs"/>).</summary>
    private static ImagePattern ImageGlob(string glob, string path, string? baseDirectory) => ImagePattern.Parse(ImageGlobs.Normalize(ImagePattern.Parse(glob, path).Text, path, baseDirectory), path);

    /// <summary>A namespace glob: a Kubernetes namespace name (RFC 1123 label: lower-case letters, digits, '-') with <c>*</c> wildcards.</summary>
    private static ImagePattern NamespacePattern(string glob, string path) =>
        glob.Length is > 0 and <= 63 && glob.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '*') && !glob.Contains("**", StringComparison.Ordinal)
            ? ImagePattern.Parse(glob, path)
            : throw PolicyErrors.PolicyInvalidValue.ToException($"{path}: '{Shorten(glob)}' is not a namespace glob (lower-case letters, digits, '-' and '*', at most 63 characters)");

    private static PolicyAuthority BindAuthority(MappingReader authority, string? baseDirectory)
    {
        string name = authority.RequiredString("name");
        PolicyNode? keyless = authority.Optional("keyless");
        PolicyNode? key = authority.Optional("key");
        authority.EnsureAllRead();
        if ((keyless is null) == (key is null))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{authority.Path} needs exactly one of 'keyless' and 'key'");
        }

        return keyless is not null
            ? BindKeyless(name, MappingReader.From(keyless, authority.Child("keyless")))
            : BindKey(name, MappingReader.From(key!, authority.Child("key")), baseDirectory);
    }

    private static PolicyAuthority BindKeyless(string name, MappingReader keyless)
    {
        StringMatcher issuer = Matcher(keyless, "issuer", "issuerRegExp");
        StringMatcher subject = Matcher(keyless, "subject", "subjectRegExp");
        keyless.EnsureAllRead();
        var identity = new CertificateIdentity(subject, issuer);
        return new PolicyAuthority(name, VerificationPolicy.ForCertificateIdentities(identity), $"keyless {subject} ({issuer})");
    }

    private static StringMatcher Matcher(MappingReader keyless, string exactKey, string regexKey)
    {
        string? exact = keyless.OptionalString(exactKey);
        string? regex = keyless.OptionalString(regexKey);
        if ((exact is null) == (regex is null))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{keyless.Path} needs exactly one of '{exactKey}' and '{regexKey}'");
        }

        try
        {
            return exact is not null ? StringMatcher.Exact(exact) : StringMatcher.Regex(regex!);
        }
        catch (SupplyChainException ex)
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{keyless.Child(regexKey)}: {ex.Code}", ex);
        }
    }

    private static PolicyAuthority BindKey(string name, MappingReader key, string? baseDirectory)
    {
        string? pem = key.OptionalString("pem");
        string? path = key.OptionalString("path");
        key.EnsureAllRead();
        if ((pem is null) == (path is null))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{key.Path} needs exactly one of 'pem' and 'path'");
        }

        if (path is not null)
        {
            if (!Path.IsPathFullyQualified(path) && baseDirectory is null)
            {
                throw PolicyErrors.PolicyKeyInvalid.ToException($"{key.Child("path")}: a relative path needs the policy's folder (load the policy from a file)");
            }

            pem = PolicyFiles.ReadText(Path.GetFullPath(path, baseDirectory ?? "/"), Limits.MaxKeyFileBytes, PolicyErrors.PolicyKeyInvalid, PolicyErrors.PolicyKeyInvalid);
        }

        PublicKeyVerifier verifier;
        try
        {
            verifier = PublicKeyVerifier.FromPem(pem!);
        }
        catch (SupplyChainException ex)
        {
            throw PolicyErrors.PolicyKeyInvalid.ToException($"{key.Path}: {ex.Code}", ex);
        }

        string fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(verifier.SubjectPublicKeyInfo.Span));
        return new PolicyAuthority(name, VerificationPolicy.ForPublicKey(verifier), $"key {fingerprint}");
    }

    private static AttestationRequirement BindAttestation(MappingReader attestation, IReadOnlyList<PolicyAuthority> ruleAuthorities)
    {
        string predicateType = attestation.RequiredString("predicateType");
        List<string> names = attestation.OptionalStrings("authorities");
        var authorities = names.Count == 0
            ? ruleAuthorities
            : names.Select(n => ruleAuthorities.FirstOrDefault(a => a.Name == n)
                ?? throw PolicyErrors.PolicyInvalidValue.ToException($"{attestation.Child("authorities")}: '{Shorten(n)}' is not an authority of the rule")).Distinct().ToList();
        int threshold = attestation.OptionalInt("threshold", 1, 1, authorities.Count);
        AttestationConditions? conditions = attestation.Optional("conditions") is { } node
            ? BindConditions(MappingReader.From(node, attestation.Child("conditions")), predicateType)
            : null;
        attestation.EnsureAllRead();
        return new AttestationRequirement(predicateType, authorities, threshold, conditions);
    }

    /// <summary><c>conditions: { sourceRepository, sourceRef, builderId (pattern or list), hostedRunners, sbom }</c>.</summary>
    private static AttestationConditions BindConditions(MappingReader conditions, string predicateType)
    {
        List<ValuePattern> Patterns(string key) => conditions.Optional(key) is ScalarNode
            ? [ValuePattern.Parse(conditions.RequiredString(key), conditions.Child(key))]
            : conditions.OptionalStrings(key).Select(p => ValuePattern.Parse(p, conditions.Child(key))).ToList();
        var bound = new AttestationConditions(
            Patterns("sourceRepository"),
            Patterns("sourceRef"),
            Patterns("builderId"),
            conditions.OptionalBool("hostedRunners", false),
            conditions.OptionalBool("sbom", false));
        conditions.EnsureAllRead();
        if (bound.Sbom && Core.Attestations.SbomDocument.FormatOf(predicateType) is null)
        {
            throw PolicyErrors.AttestationConditionsInvalid.ToException($"{conditions.Child("sbom")}: '{Shorten(predicateType)}' is no SBOM predicate type (https://cyclonedx.org/bom, https://spdx.dev/Document)");
        }

        if (bound is { SourceRepository.Count: 0, SourceRef.Count: 0, BuilderId.Count: 0, HostedRunners: false, Sbom: false })
        {
            throw PolicyErrors.AttestationConditionsInvalid.ToException($"{conditions.Path}: no condition (sourceRepository, sourceRef, builderId, hostedRunners, sbom)");
        }

        return bound;
    }

    private static LineageRequirement BindLineage(MappingReader lineage, string? baseDirectory)
    {
        bool required = lineage.OptionalBool("required", false);
        List<string> roots = lineage.Optional("trustedRoots") is null ? [LineageRequirement.ScratchRoot] : lineage.OptionalStrings("trustedRoots");
        int maxDepth = lineage.OptionalInt("maxDepth", Limits.DefaultLineageDepth, 1, Limits.MaxLineageDepth);
        bool allowMissingClaim = lineage.OptionalBool("allowMissingClaim", false);
        bool requireProvenance = lineage.OptionalBool("requireProvenance", false);
        ClaimSources sources = lineage.Optional("claimSources") is null
            ? LineageRequirement.DefaultClaimSources | (requireProvenance ? ClaimSources.Provenance : ClaimSources.None)
            : BindClaimSources(lineage.OptionalStrings("claimSources"), lineage.Child("claimSources"));
        if (requireProvenance && !sources.HasFlag(ClaimSources.Provenance))
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{lineage.Child("requireProvenance")} needs provenance among {lineage.Child("claimSources")}");
        }

        lineage.EnsureAllRead();

        var patterns = new List<ImagePattern>();
        var digests = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < roots.Count; i++)
        {
            string root = roots[i];
            if (root == LineageRequirement.ScratchRoot)
            {
                continue;
            }

            if (root.StartsWith("sha256:", StringComparison.Ordinal) || root.StartsWith("sha512:", StringComparison.Ordinal))
            {
                digests.Add(IsDigest(root) ? root : throw PolicyErrors.PolicyInvalidValue.ToException($"{lineage.Child("trustedRoots")}[{i}] is not a valid digest"));
            }
            else
            {
                patterns.Add(ImageGlob(root, $"{lineage.Child("trustedRoots")}[{i}]", baseDirectory));
            }
        }

        return new LineageRequirement(required, roots, maxDepth, allowMissingClaim, patterns, digests) { ClaimSources = sources, RequireProvenance = requireProvenance };
    }

    /// <summary><c>claimSources</c>: <c>annotations</c> (the manifest's, and the index's when its digest is signed), <c>labels</c> (the config's), <c>provenance</c> (verified SLSA provenance).</summary>
    private static ClaimSources BindClaimSources(List<string> names, string path)
    {
        if (names.Count == 0)
        {
            throw PolicyErrors.PolicyInvalidValue.ToException($"{path} is empty: name at least one of annotations, labels, provenance");
        }

        ClaimSources sources = ClaimSources.None;
        for (int i = 0; i < names.Count; i++)
        {
            ClaimSources one = names[i] switch
            {
                "annotations" => ClaimSources.ManifestAnnotations | ClaimSources.IndexAnnotations,
                "labels" => ClaimSources.ConfigLabels,
                "provenance" => ClaimSources.Provenance,
                _ => throw PolicyErrors.PolicyInvalidValue.ToException($"{path}[{i}] '{Shorten(names[i])}' is not annotations, labels or provenance"),
            };
            if ((sources & one) != ClaimSources.None)
            {
                throw PolicyErrors.PolicyInvalidValue.ToException($"{path}[{i}] '{names[i]}' is listed twice");
            }

            sources |= one;
        }

        return sources;
    }

    private static bool IsDigest(string value)
    {
        try
        {
            return ImageReference.Parse("x.invalid/x@" + value).Digest == value;
        }
        catch (SupplyChainException)
        {
            return false;
        }
    }

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
