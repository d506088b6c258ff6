namespace SupplyChain.Instance.Rekor;

/// <summary>A verifier as Rekor v2 stores it: the DER of a certificate or public key, and its PublicKeyDetails.</summary>
/// <param name="Der">DER certificate or SPKI.</param>
/// <param name="IsCertificate">Whether <paramref name="Der"/> is a certificate.</param>
/// <param name="KeyDetails">protobuf-specs PublicKeyDetails name.</param>
public sealed record LoggedVerifier(byte[] Der, bool IsCertificate, string KeyDetails);
