using System.Security.Cryptography.X509Certificates;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// Mints RFC 3161 timestamp tokens for <see cref="VirtualSigstore"/> (implemented by the test kit's
/// timestamp authority). The virtual Sigstore never encodes RFC 3161 itself.
/// </summary>
public interface ITimestampMinter
{
    /// <summary>Returns a DER <c>TimeStampToken</c> (RFC 3161 section 2.4.2) over the SHA-256 of <paramref name="signature"/>.</summary>
    /// <param name="signature">The bytes to timestamp (the bundle's signature bytes, per the Sigstore client spec).</param>
    /// <param name="genTime">The token's genTime.</param>
    byte[] Timestamp(ReadOnlySpan<byte> signature, DateTimeOffset genTime);

    /// <summary>The TSA chain, leaf (signing certificate) first, root last, as listed in the trusted root.</summary>
    IReadOnlyList<X509Certificate2> Chain { get; }
}
