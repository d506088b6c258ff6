using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Instance.Ca;

namespace SupplyChain.Testing.Virtual;

/// <summary>
/// The Fulcio-like CA of a <see cref="VirtualSigstore"/>: the instance's chain shape (<see cref="LocalCertificateAuthority.CreateChain"/>:
/// a self-signed ECDSA P-384 root and a P-384 intermediate), valid from a year before "now" so tests may sign in the
/// past, whose leaves the shipped instance's CA
/// (<see cref="Instance"/>, a <see cref="LocalCertificateAuthority"/>) issues, with embedded SCTs from the
/// <see cref="VirtualCtLog"/>. <see cref="LeafOptions"/> become the instance's issuance options (validity, extra
/// extensions, no SCT) or, for SCT tampering, a substitute CT log signer (<see cref="TamperingCtLog"/>).
/// </summary>
public sealed class VirtualCertificateAuthority : IDisposable
{
    internal VirtualCertificateAuthority(DateTimeOffset now, VirtualCtLog ctLog)
    {
        // The instance's own chain shape (P-384 root and code-signing intermediate), started a year early.
        (X509Certificate2 root, X509Certificate2 intermediate, ECDsa rootKey, ECDsa intermediateKey) = LocalCertificateAuthority.CreateChain(now.AddYears(-1));
        RootKey = rootKey;
        IntermediateKey = intermediateKey;
        using (root)
        using (intermediate)
        {
            Root = WithKey(root, rootKey);
            Intermediate = WithKey(intermediate, intermediateKey);
        }

        _ctLog = ctLog;

        // The instance's CA gets its own copies: it owns (and disposes) what it is given.
        Instance = new LocalCertificateAuthority(
            X509CertificateLoader.LoadCertificate(Root.RawData),
            X509CertificateLoader.LoadCertificate(Intermediate.RawData),
            ECDsa.Create(IntermediateKey.ExportParameters(includePrivateParameters: true)),
            ctLog.Instance);
    }

    private readonly VirtualCtLog _ctLog;

    /// <summary>The shipped instance's CA that issues this CA's leaves (same chain and key).</summary>
    public LocalCertificateAuthority Instance { get; }

    /// <summary>The self-signed root (with private key).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>The issuing intermediate (with private key).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The root's private key.</summary>
    public ECDsa RootKey { get; }

    /// <summary>The intermediate's private key.</summary>
    public ECDsa IntermediateKey { get; }

    /// <summary>The chain as the trusted root lists it: intermediate, then root.</summary>
    public IReadOnlyList<X509Certificate2> Chain => [Intermediate, Root];

    /// <summary>Issues a leaf through <see cref="Instance"/>; see <see cref="VirtualSigstore.IssueLeaf"/>.</summary>
    internal LeafCertificate IssueLeaf(string identity, string oidcIssuer, LeafOptions options, DateTimeOffset now)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            DateTimeOffset notBefore = options.NotBefore ?? now.AddMinutes(-1);
            DateTimeOffset notAfter = options.NotAfter ?? notBefore.AddMinutes(10);
            bool tamperedSct = options.SctTimestamp is not null || options.SctExtensions is not null || options.SctSigningKey is not null;
            var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _);
            using IssuedLeafCertificate issued = Instance.Issue(new LeafCertificateRequest
            {
                PublicKey = publicKey,
                Identity = identity,
                Issuer = oidcIssuer,
                IssuedAt = now,
                NotBefore = notBefore,
                Lifetime = notAfter - notBefore,
                ExtraExtensions = [.. (options.ExtraExtensions ?? new Dictionary<string, string>()).Select(pair => new X509Extension(pair.Key, Utf8String(pair.Value), false))],
                EmbedSct = options.EmbedSct,
                CtLog = tamperedSct ? new TamperingCtLog(_ctLog, options.SctTimestamp, options.SctExtensions, options.SctSigningKey) : null,
            });
            return new LeafCertificate(issued.Certificate.CopyWithPrivateKey(key), key, issued.PrecertificateTbs, issued.Sct);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static X509Certificate2 WithKey(X509Certificate2 certificate, ECDsa key)
    {
        using X509Certificate2 bare = X509CertificateLoader.LoadCertificate(certificate.RawData);
        return bare.CopyWithPrivateKey(key);
    }

    private static byte[] Utf8String(string value)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
        return writer.Encode();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Instance.Dispose();
        Root.Dispose();
        Intermediate.Dispose();
        RootKey.Dispose();
        IntermediateKey.Dispose();
    }
}
