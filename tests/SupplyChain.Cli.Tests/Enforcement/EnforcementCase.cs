namespace SupplyChain.Cli.Tests.Enforcement;

/// <summary>The surfaces every case runs through.</summary>
public enum Surface
{
    /// <summary><c>PolicyEvaluator</c> over the registry client (the library).</summary>
    Library,

    /// <summary><c>signcli verify IMAGE --policy FILE --output json</c> (in process).</summary>
    Cli,

    /// <summary>The admission webhook (<c>AdmissionServer</c> on 127.0.0.1 over TLS) reviewing a Pod.</summary>
    Webhook,
}

/// <summary>What a case hands to each surface: the image as the workload writes it, the policy, and how to reach the registry.</summary>
/// <param name="Image">The reference (any spelling the attacker chose).</param>
/// <param name="Policy">The policy file's text (key paths relative to the world's folder).</param>
/// <param name="Authenticated">Whether the surfaces hold credentials for the authenticated registry (and only for it).</param>
/// <param name="After">Checks after each surface ran (a tarpit never contacted, no credentials sent to a recorder).</param>
public sealed record CaseSetup(string Image, string Policy, bool Authenticated = false, Action<EnforcementWorld>? After = null);

/// <summary>
/// One attack of issue 13: its name, what it tries, how to build it against the <see cref="EnforcementWorld"/>, and the
/// code each surface must deny it with (the library's and the CLI's are the evaluator's; the webhook's is the status
/// message's leading code, which differs where the webhook has its own, such as a registry error of the image itself).
/// </summary>
/// <remarks><paramref name="Mentions"/>: a code the answer's detail must name besides (the cause under a wrapping code).</remarks>
public sealed record EnforcementCase(string Name, string Attack, string Code, Func<EnforcementWorld, Task<CaseSetup>> Arrange, string? WebhookCode = null, string? CliCode = null, string? Mentions = null)
{
    /// <summary>The code <paramref name="surface"/> must deny with.</summary>
    public string Expected(Surface surface) => surface switch
    {
        Surface.Webhook => WebhookCode ?? Code,
        Surface.Cli => CliCode ?? Code,
        _ => Code,
    };

    public override string ToString() => Name;
}
