namespace SupplyChain.Instance.Rekor;

/// <summary>
/// A verifier as Rekor v2 stores it (protobuf-specs <c>Verifier</c>): the DER of a certificate or public key, and its
/// PublicKeyDetails. Immutable: the constructor copies the bytes and <see cref="Der"/> is read-only. Two verifiers are
/// equal when their bytes, kind and key details are, the same verifier as a log entry would record it.
/// </summary>
public sealed class LoggedVerifier : IEquatable<LoggedVerifier>
{
    private readonly byte[] _der;

    /// <summary>A verifier over a copy of <paramref name="der"/>.</summary>
    /// <param name="der">DER certificate or SPKI.</param>
    /// <param name="isCertificate">Whether <paramref name="der"/> is a certificate.</param>
    /// <param name="keyDetails">protobuf-specs PublicKeyDetails name.</param>
    /// <exception cref="ArgumentException"><paramref name="der"/> is empty.</exception>
    public LoggedVerifier(ReadOnlySpan<byte> der, bool isCertificate, string keyDetails)
    {
        ArgumentNullException.ThrowIfNull(keyDetails);
        if (der.IsEmpty)
        {
            throw new ArgumentException("A verifier has DER bytes.", nameof(der));
        }

        _der = der.ToArray();
        IsCertificate = isCertificate;
        KeyDetails = keyDetails;
    }

    /// <summary>DER certificate or SPKI.</summary>
    public ReadOnlyMemory<byte> Der => _der;

    /// <summary>Whether <see cref="Der"/> is a certificate.</summary>
    public bool IsCertificate { get; }

    /// <summary>protobuf-specs PublicKeyDetails name.</summary>
    public string KeyDetails { get; }

    /// <inheritdoc />
    public bool Equals(LoggedVerifier? other) =>
        other is not null && IsCertificate == other.IsCertificate && string.Equals(KeyDetails, other.KeyDetails, StringComparison.Ordinal) && _der.AsSpan().SequenceEqual(other._der);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LoggedVerifier);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_der);
        hash.Add(IsCertificate);
        hash.Add(KeyDetails, StringComparer.Ordinal);
        return hash.ToHashCode();
    }
}
