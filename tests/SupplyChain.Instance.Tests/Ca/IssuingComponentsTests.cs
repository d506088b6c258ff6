using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using SupplyChain.Core.Errors;
using SupplyChain.Instance.Ca;
using SupplyChain.Instance.Timestamps;

namespace SupplyChain.Instance.Tests.Ca;

/// <summary>The public issuing components an embedder (and the test kit's VirtualSigstore) builds on: CA, CT log, TSA.</summary>
public sealed class IssuingComponentsTests : IDisposable
{
    private const string SctListOid = "1.3.6.1.4.1.11129.2.4.2";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly LocalCtLog _ctLog = LocalCtLog.Generate();
    private readonly LocalCertificateAuthority _ca;
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public IssuingComponentsTests()
    {
        (X509Certificate2 root, X509Certificate2 intermediate, ECDsa rootKey, ECDsa intermediateKey) = LocalCertificateAuthority.CreateChain(Now.AddDays(-1));
        rootKey.Dispose();
        _ca = new LocalCertificateAuthority(root, intermediate, intermediateKey, _ctLog);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _ctLog.Dispose();
        _key.Dispose();
    }

    [Fact]
    public void The_ct_log_key_and_id_it_hands_out_are_copies()
    {
        byte[] spki = _ctLog.PublicKeySpki;
        byte[] logId = _ctLog.LogId;
        spki[^1] ^= 0xFF;
        logId[0] ^= 0xFF;

        Assert.NotEqual(spki, _ctLog.PublicKeySpki);
        Assert.NotEqual(logId, _ctLog.LogId);
        Assert.Equal(SHA256.HashData(_ctLog.PublicKeySpki), _ctLog.LogId);
    }

    [Fact]
    public void The_sct_encoders_refuse_what_their_length_prefixes_cannot_say_instead_of_truncating()
    {
        byte[] signature = new byte[70];
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.Encode(new byte[31], 0, [], signature));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.Encode(new byte[33], 0, [], signature));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.Encode(new byte[32], 0, new byte[ushort.MaxValue + 1], signature));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.Encode(new byte[32], 0, [], new byte[ushort.MaxValue + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.SignedData(0, [], new byte[1 << 24], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.SignedData(0, [], [], []));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.SignedData(0, [], [0x30], new byte[ushort.MaxValue + 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.List(new byte[ushort.MaxValue - 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SignedCertificateTimestamps.List([]));

        // The largest values each prefix can say still encode, with the length they say.
        byte[] sct = SignedCertificateTimestamps.Encode(new byte[32], 0, [], new byte[ushort.MaxValue]);
        Assert.Equal(1 + 32 + 8 + 2 + 4 + ushort.MaxValue, sct.Length);
        byte[] list = SignedCertificateTimestamps.List(new byte[ushort.MaxValue - 2]);
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFD], list[..4]);
    }

    [Fact]
    public void A_default_leaf_lives_ten_minutes_from_issuance_and_embeds_a_verifiable_sct()
    {
        using IssuedLeafCertificate leaf = _ca.Issue(Request());

        Assert.Equal(Now.UtcDateTime, leaf.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddMinutes(10).UtcDateTime, leaf.Certificate.NotAfter.ToUniversalTime());
        Assert.Equal("dev@example.com", leaf.Certificate.GetNameInfo(X509NameType.EmailName, false));
        Assert.Equal(_ctLog.LogId, leaf.Sct![1..33]);
        byte[] embedded = EmbeddedSctList(leaf.Certificate);
        Assert.Equal(SignedCertificateTimestamps.List(leaf.Sct), embedded);

        // RFC 6962 section 3.2: the signature covers the precertificate TBS; the SCT ends in hash(4) sig(3) len signature.
        byte[] signature = leaf.Sct[47..];
        byte[] signed = SignedCertificateTimestamps.SignedData(Now.ToUnixTimeMilliseconds(), _ca.Intermediate.PublicKey.ExportSubjectPublicKeyInfo(), leaf.PrecertificateTbs, []);
        using ECDsa ctKey = ECDsa.Create();
        ctKey.ImportSubjectPublicKeyInfo(_ctLog.PublicKeySpki, out _);
        Assert.True(ctKey.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void Issuance_options_set_validity_extra_extensions_and_leave_out_the_sct()
    {
        var extra = new X509Extension("1.3.6.1.4.1.57264.1.12", [0x0C, 0x03, (byte)'a', (byte)'b', (byte)'c'], false);
        using IssuedLeafCertificate leaf = _ca.Issue(Request(notBefore: Now.AddMinutes(-5), lifetime: TimeSpan.FromHours(1), extra: [extra], embedSct: false));

        Assert.Equal(Now.AddMinutes(-5).UtcDateTime, leaf.Certificate.NotBefore.ToUniversalTime());
        Assert.Equal(Now.AddMinutes(55).UtcDateTime, leaf.Certificate.NotAfter.ToUniversalTime());
        Assert.Null(leaf.Sct);
        Assert.DoesNotContain(leaf.Certificate.Extensions, e => e.Oid!.Value == SctListOid);
        Assert.Equal(extra.RawData, leaf.Certificate.Extensions[extra.Oid!.Value!]!.RawData);
        Assert.Equal("1.3.6.1.4.1.57264.1.8", leaf.Certificate.Extensions[leaf.Certificate.Extensions.Count - 2].Oid!.Value);
    }

    [Fact]
    public void A_ca_without_ct_log_issues_leaves_without_sct_and_a_request_may_name_another_log()
    {
        using LocalCtLog other = LocalCtLog.Generate();
        (X509Certificate2 root, X509Certificate2 intermediate, ECDsa rootKey, ECDsa intermediateKey) = LocalCertificateAuthority.CreateChain(Now.AddDays(-1));
        rootKey.Dispose();
        using var withoutCt = new LocalCertificateAuthority(root, intermediate, intermediateKey, ctLog: null);

        using IssuedLeafCertificate bare = withoutCt.Issue(Request());
        using IssuedLeafCertificate logged = withoutCt.Issue(Request(ctLog: other));

        Assert.Null(bare.Sct);
        Assert.Equal(other.LogId, logged.Sct![1..33]);
    }

    [Fact]
    public void The_tsa_answers_a_request_at_the_given_time_and_refuses_one_with_extensions()
    {
        (X509Certificate2 root, X509Certificate2 leaf, ECDsa key) = LocalTimestampAuthority.CreateChain(Now.AddDays(-1));
        using X509Certificate2 leafWithKey = leaf.CopyWithPrivateKey(key);
        leaf.Dispose();
        key.Dispose();
        using var tsa = new LocalTimestampAuthority(X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null), root);
        var request = Rfc3161TimestampRequest.CreateFromData("signature"u8, HashAlgorithmName.SHA256, requestSignerCertificates: true);

        Rfc3161TimestampToken token = request.ProcessResponse(tsa.Respond(request.Encode(), Now.AddMilliseconds(700)), out _);

        Assert.Equal(Now, token.TokenInfo.Timestamp);
        Assert.True(token.VerifySignatureForData("signature"u8, out X509Certificate2? signer, [.. tsa.Chain]));
        Assert.Equal(tsa.Leaf.RawData, signer!.RawData);
        var withExtensions = Rfc3161TimestampRequest.CreateFromData("signature"u8, HashAlgorithmName.SHA256, extensions: [new X509Extension("1.2.3.4", [0x05, 0x00], false)]);
        var error = Assert.ThrowsAny<SupplyChainException>(() => tsa.Respond(withExtensions.Encode(), Now));
        Assert.Equal("SC8033", error.Code);
    }

    [Fact]
    public void The_tsa_binds_its_signer_with_the_public_ess_signing_certificate_v2_encoding()
    {
        (X509Certificate2 root, X509Certificate2 leaf, ECDsa key) = LocalTimestampAuthority.CreateChain(Now.AddDays(-1));
        using X509Certificate2 leafWithKey = leaf.CopyWithPrivateKey(key);
        key.Dispose();
        using var tsa = new LocalTimestampAuthority(X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null), root);
        var request = Rfc3161TimestampRequest.CreateFromData("signature"u8, HashAlgorithmName.SHA256, requestSignerCertificates: false);
        byte[] response = tsa.Respond(request.Encode(), Now);

        // The response is the granted wrapper around the token, byte for byte.
        AsnReader sequence = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        sequence.ReadSequence();
        byte[] token = sequence.ReadEncodedValue().ToArray();
        Assert.Equal(response, TimestampEncoding.GrantedResponse(token));

        // The signed attribute is the public encoding; RFC 5035 section 3 read back: certHash = SHA-256(cert), issuerSerial.
        var cms = new SignedCms();
        cms.Decode(token);
        AsnEncodedData attribute = cms.SignerInfos[0].SignedAttributes.Cast<CryptographicAttributeObject>()
            .Single(a => a.Oid.Value == TimestampEncoding.SigningCertificateV2Oid).Values[0];
        AsnEncodedData expected = TimestampEncoding.SigningCertificateV2(leaf);
        Assert.Equal(expected.RawData, attribute.RawData);
        AsnReader essCertId = new AsnReader(expected.RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence().ReadSequence();
        Assert.Equal(SHA256.HashData(leaf.RawData), essCertId.ReadOctetString());
        AsnReader issuerSerial = essCertId.ReadSequence();
        AsnReader generalName = issuerSerial.ReadSequence().ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true));
        Assert.Equal(leaf.IssuerName.RawData, generalName.ReadEncodedValue().ToArray());
        Assert.Equal(leaf.SerialNumberBytes.ToArray(), issuerSerial.ReadIntegerBytes().ToArray());
        leaf.Dispose();
    }

    private LeafCertificateRequest Request(DateTimeOffset? notBefore = null, TimeSpan? lifetime = null, IReadOnlyList<X509Extension>? extra = null, bool embedSct = true, ICtLogSigner? ctLog = null) => new()
    {
        PublicKey = PublicKey.CreateFromSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _),
        Identity = "dev@example.com",
        Issuer = "https://accounts.example.com",
        IssuedAt = Now,
        NotBefore = notBefore,
        Lifetime = lifetime,
        ExtraExtensions = extra ?? [],
        EmbedSct = embedSct,
        CtLog = ctLog,
    };

    private static byte[] EmbeddedSctList(X509Certificate2 certificate)
    {
        X509Extension extension = certificate.Extensions[SctListOid]!;
        return new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadOctetString();
    }
}
