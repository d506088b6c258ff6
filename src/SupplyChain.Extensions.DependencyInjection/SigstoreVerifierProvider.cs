using SupplyChain.Core.Verification;
using SupplyChain.Tuf;
using SupplyChain.Tuf.TrustedRoots;

namespace SupplyChain.Extensions.DependencyInjection;

/// <summary>
/// The <see cref="SigstoreVerifier"/> for the trusted root in use: built once per trusted root version (the verifier
/// imports every key and checks every CA chain when it is built) and rebuilt when the source swaps in a new root.
/// Thread-safe; register it as a singleton (<c>AddSigstoreVerifier</c>).
/// </summary>
public sealed class SigstoreVerifierProvider
{
    private readonly ITrustedRootSource _source;
    private readonly VerifierOptions _options;
    private Built? _current;

    /// <summary>Creates the provider.</summary>
    /// <param name="source">Where the trusted root comes from.</param>
    /// <param name="options">The verifier's options (thresholds); the defaults when <see langword="null"/>.</param>
    public SigstoreVerifierProvider(ITrustedRootSource source, VerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _options = options ?? new VerifierOptions();
    }

    /// <summary>The version of the trusted root the verifier uses now, or <see langword="null"/> before one is loaded.</summary>
    public string? TrustedRootVersion => _source.Current?.Version;

    /// <summary>The verifier for the current trusted root.</summary>
    /// <returns>The verifier.</returns>
    /// <exception cref="Core.Errors.SupplyChainException">SC3073 when no trusted root has been loaded yet (fail closed).</exception>
    public SigstoreVerifier GetVerifier()
    {
        TrustedRootSnapshot snapshot = _source.Current ?? throw TufErrors.TrustedRootNotLoaded.ToException("the trusted root source has not loaded a trusted root yet");
        Built? current = Volatile.Read(ref _current);
        if (current is not null && current.Version == snapshot.Version)
        {
            return current.Verifier;
        }

        var verifier = new SigstoreVerifier(snapshot.TrustedRoot, _options);
        Volatile.Write(ref _current, new Built(snapshot.Version, verifier));
        return verifier;
    }

    private sealed record Built(string Version, SigstoreVerifier Verifier);
}
