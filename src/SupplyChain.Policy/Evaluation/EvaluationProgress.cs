namespace SupplyChain.Policy.Evaluation;

/// <summary>
/// How far an evaluation got, for a caller that stops waiting (the admission deadline): whether it had gone past the
/// reads of the reference the workload names (its tag, manifests and signatures) into following base-image claims.
/// A deadline there is a denial, never a registry error the rule's <c>onRegistryError: allow</c> may admit.
/// Thread-safe.
/// </summary>
public sealed class EvaluationProgress
{
    private int _started;
    private int _followingLineage;

    /// <summary>Whether the evaluation has started.</summary>
    public bool Started => Volatile.Read(ref _started) == 1;

    /// <summary>Whether the evaluation requested anything for a base image (below the image the workload names).</summary>
    public bool FollowingLineage => Volatile.Read(ref _followingLineage) == 1;

    internal void Start() => Interlocked.Exchange(ref _started, 1);

    internal void EnterLineage() => Interlocked.Exchange(ref _followingLineage, 1);
}
