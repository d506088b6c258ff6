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

    internal ImagePolicy(PolicyAction defaultAction, string? mode, IReadOnlyList<PolicyRule> rules)
    {
        DefaultAction = defaultAction;
        Mode = mode;
        Rules = rules;
    }

    /// <summary>What happens to images no rule matches.</summary>
    public PolicyAction DefaultAction { get; }

    /// <summary>The reserved <c>mode</c> value (for the admission webhook, such as <c>enforce</c> or <c>warn</c>), not interpreted here; <c>null</c> when absent.</summary>
    public string? Mode { get; }

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
        return PolicyBinder.Bind(root, baseDirectory);
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

    /// <summary>The rule that applies to <paramref name="imageName"/>: the first, in file order, one of whose globs matches.</summary>
    /// <param name="imageName"><c>registry/repository</c>.</param>
    /// <returns>The rule, or <c>null</c> when none matches.</returns>
    public PolicyRule? Match(string imageName)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        return Rules.FirstOrDefault(r => r.Matches(imageName));
    }
}
