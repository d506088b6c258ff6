using SupplyChain.Core.Errors;
using SupplyChain.Policy.Parsing;

namespace SupplyChain.Policy.Model;

/// <summary>
/// An image policy (docs/policy.md): rules matched by image name, in file order, first match wins; images no rule
/// matches get <see cref="DefaultAction"/> (deny unless the policy says otherwise). Immutable and thread-safe.
/// </summary>
public sealed class ImagePolicy
{
    /// <summary>The only <c>apiVersion</c> this version reads.</summary>
    public const string SupportedApiVersion = "supplychain.dev/v1alpha1";

    /// <summary>The <c>kind</c> of an image policy.</summary>
    public const string PolicyKind = "ImagePolicy";

    internal ImagePolicy(PolicyAction defaultAction, PolicyMode mode, bool denyTags, IReadOnlyList<PolicyRule> rules)
    {
        DefaultAction = defaultAction;
        Mode = mode;
        DenyTags = denyTags;
        Rules = rules;
    }

    /// <summary>What happens to images no rule matches.</summary>
    public PolicyAction DefaultAction { get; }

    /// <summary>The admission webhook's mode for rules that do not name their own (<c>mode</c>; default <see cref="PolicyMode.Enforce"/>). The evaluator does not interpret it.</summary>
    public PolicyMode Mode { get; }

    /// <summary>Whether the admission webhook denies image references by tag outright (<c>denyTags</c>; default <c>false</c>: a tag is resolved to its digest and the digest is evaluated).</summary>
    public bool DenyTags { get; }

    /// <summary>Whether any rule is scoped to namespaces (verdicts then depend on the namespace as well as the image).</summary>
    public bool HasNamespaceScopedRules => Rules.Any(r => r.Namespaces.Count > 0);

    /// <summary>
    /// A stable fingerprint of the policy's meaning (<c>sha256:</c> hex over the policy text and the public keys its
    /// authorities resolved to, so a changed key file changes it too): the policy version of verdict caches.
    /// </summary>
    public string Fingerprint { get; private set; } = string.Empty;

    /// <summary>The rules, in file order.</summary>
    public IReadOnlyList<PolicyRule> Rules { get; }

    /// <summary>Parses a policy from YAML or JSON text (JSON when it starts with <c>{</c>).</summary>
    /// <param name="text">The policy.</param>
    /// <param name="baseDirectory">The folder relative key paths are read from (the policy file's folder), or <c>null</c> to refuse relative paths.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="MalformedInputException">SC5001-SC5006.</exception>
    /// <exception cref="TrustRootException">SC5007 for an unreadable key.</exception>
    public static ImagePolicy Parse(string text, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > Limits.MaxPolicyBytes)
        {
            throw PolicyErrors.PolicyTooLarge.ToException($"longer than {Limits.MaxPolicyBytes} characters");
        }

        PolicyNode root = text.TrimStart().StartsWith('{') ? JsonPolicyReader.Read(text) : YamlPolicyReader.Read(text);
        ImagePolicy policy = PolicyBinder.Bind(root, baseDirectory);
        policy.Fingerprint = ComputeFingerprint(text, policy.Rules);
        return policy;
    }

    /// <summary>Reads and parses a policy file; relative key paths are read from its folder.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="TrustRootException">SC5008 when the file cannot be read; see <see cref="Parse"/> for the rest.</exception>
    public static ImagePolicy Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string fullPath = Path.GetFullPath(path);
        return Parse(PolicyFiles.ReadText(fullPath, Limits.MaxPolicyBytes, PolicyErrors.PolicyFileUnreadable, PolicyErrors.PolicyTooLarge), Path.GetDirectoryName(fullPath));
    }

    /// <summary>
    /// The rule that applies to <paramref name="imageName"/> outside any namespace: the first, in file order, one of
    /// whose globs matches, skipping rules scoped to namespaces.
    /// </summary>
    /// <param name="imageName"><c>registry/repository</c>.</param>
    /// <returns>The rule, or <c>null</c> when none matches.</returns>
    public PolicyRule? Match(string imageName) => Match(imageName, null);

    /// <summary>
    /// The rule that applies to <paramref name="imageName"/> in <paramref name="namespaceName"/>: the first, in file
    /// order, that applies to the namespace (<see cref="PolicyRule.AppliesToNamespace"/>) and one of whose globs matches.
    /// </summary>
    /// <param name="imageName"><c>registry/repository</c>.</param>
    /// <param name="namespaceName">The workload's namespace, or <c>null</c> outside a cluster (namespace-scoped rules then never apply).</param>
    /// <returns>The rule, or <c>null</c> when none matches.</returns>
    public PolicyRule? Match(string imageName, string? namespaceName)
    {
        ArgumentNullException.ThrowIfNull(imageName);

        // Globs are normalised at load; a name not taken from a parsed reference is brought to the same spelling.
        string name = Parsing.ImageGlobs.NormalizeName(imageName);
        return Rules.FirstOrDefault(r => r.AppliesToNamespace(namespaceName) && r.Matches(name));
    }

    private static string ComputeFingerprint(string text, IReadOnlyList<PolicyRule> rules)
    {
        var material = new System.Text.StringBuilder(text);
        foreach (PolicyRule rule in rules)
        {
            foreach (PolicyAuthority authority in rule.Authorities)
            {
                // Key authorities describe themselves by the SHA-256 of their SubjectPublicKeyInfo.
                material.Append('\n').Append(rule.Name).Append('/').Append(authority.Name).Append(": ").Append(authority.Description);
            }
        }

        return "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(material.ToString())));
    }
}
