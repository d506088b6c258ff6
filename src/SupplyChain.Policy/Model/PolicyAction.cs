namespace SupplyChain.Policy.Model;

/// <summary>What happens to an image no rule matches.</summary>
public enum PolicyAction
{
    /// <summary>Denied (the default): fail closed.</summary>
    Deny,

    /// <summary>Allowed without any check.</summary>
    Allow,
}
