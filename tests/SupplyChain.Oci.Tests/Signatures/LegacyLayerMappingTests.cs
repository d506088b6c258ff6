using System.Security.Cryptography;
using SupplyChain.Core.Bundles;
using SupplyChain.Core.Errors;
using SupplyChain.Oci.Signatures;
using SupplyChain.Testing.Virtual;

namespace SupplyChain.Oci.Tests.Signatures;

/// <summary>
/// A legacy cosign layer (annotations + content) maps straight to a typed v0.1 bundle, with no JSON in between;
/// anything malformed in the annotations is SC4406 (never a null or format exception), and what the bundle model
/// refuses keeps the bundle's own code.
/// </summary>
public sealed class LegacyLayerMappingTests
{
    private static readonly byte[] Payload = "{\"critical\":{}}"u8.ToArray();
    private readonly VirtualSigstore _sigstore = VirtualSigstore.Create();

    [Fact]
    public void A_layer_written_from_a_bundle_maps_back_to_the_same_signature_material()
    {
        SigstoreBundle original = SigstoreBundle.Parse(_sigstore.SignMessage(Payload, new SigningOptions { Version = BundleVersion.V0_1 }));
        Dictionary<string, string> annotations = LegacySignatureLayer.Annotations(original, null);

        SigstoreBundle mapped = LegacySignatureLayer.ToBundle(annotations, Payload, isEnvelope: false);

        Assert.Equal(BundleMediaTypes.V0_1, mapped.MediaType);
        Assert.Equal(VerificationMaterialContent.X509CertificateChain, mapped.VerificationMaterial.Content);
        Assert.Equal(original.VerificationMaterial.LeafCertificate.ToArray(), mapped.VerificationMaterial.LeafCertificate.ToArray());
        Assert.Equal(original.MessageSignature!.Signature.ToArray(), mapped.MessageSignature!.Signature.ToArray());
        Assert.Equal(SHA256.HashData(Payload), mapped.MessageSignature.Digest!.Value.ToArray());
        TransparencyLogEntry expected = original.VerificationMaterial.TlogEntries[0];
        TransparencyLogEntry actual = Assert.Single(mapped.VerificationMaterial.TlogEntries);
        Assert.Equal((expected.LogIndex, expected.IntegratedTime, expected.Kind, expected.KindVersion), (actual.LogIndex, actual.IntegratedTime, actual.Kind, actual.KindVersion));
        Assert.Equal(expected.LogId.ToArray(), actual.LogId.ToArray());
        Assert.Equal(expected.SignedEntryTimestamp!.Value.ToArray(), actual.SignedEntryTimestamp!.Value.ToArray());
        Assert.Equal(expected.CanonicalizedBody.ToArray(), actual.CanonicalizedBody.ToArray());
        Assert.Null(actual.InclusionProof);
    }

    [Theory]
    [InlineData("{\"SignedEntryTimestamp\":null,\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\"}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":null}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":null,\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":\"1\",\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1.5,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"zz\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":null}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"not base64!\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"bm90IGpzb24=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("{\"SignedEntryTimestamp\":\"MEUCIQ==\",\"Payload\":{\"body\":\"e30=\",\"integratedTime\":1,\"logIndex\":1,\"logID\":\"00\"}}")]
    [InlineData("[]")]
    [InlineData("not json")]
    public void A_malformed_rekor_bundle_annotation_is_SC4406(string rekorBundle)
    {
        // The last valid-shaped case has a body without kind/apiVersion ("{}"): also the annotation's fault.
        var annotations = new Dictionary<string, string>
        {
            [SignatureMediaTypes.SignatureAnnotation] = "MEUCIQ==",
            [SignatureMediaTypes.RekorBundleAnnotation] = rekorBundle,
        };
        var ex = Assert.Throws<MalformedInputException>(() => LegacySignatureLayer.ToBundle(annotations, Payload, isEnvelope: false));
        Assert.Equal("SC4406", ex.Code);
    }

    [Theory]
    [InlineData(SignatureMediaTypes.Rfc3161Annotation, "{\"SignedRFC3161Timestamp\":null}")]
    [InlineData(SignatureMediaTypes.Rfc3161Annotation, "{}")]
    [InlineData(SignatureMediaTypes.Rfc3161Annotation, "\"x\"")]
    [InlineData(SignatureMediaTypes.CertificateAnnotation, "not a pem")]
    [InlineData(SignatureMediaTypes.CertificateAnnotation, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")]
    [InlineData(SignatureMediaTypes.SignatureAnnotation, "not base64!")]
    [InlineData(SignatureMediaTypes.SignatureAnnotation, null)]
    public void A_malformed_or_null_annotation_is_SC4406(string annotation, string? value)
    {
        var annotations = new Dictionary<string, string> { [SignatureMediaTypes.SignatureAnnotation] = "MEUCIQ==" };
        annotations[annotation] = value!;
        var ex = Assert.Throws<MalformedInputException>(() => LegacySignatureLayer.ToBundle(annotations, Payload, isEnvelope: false));
        Assert.Equal("SC4406", ex.Code);
    }

    [Theory]
    [InlineData("{\"payloadType\":null,\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AQ==\"}]}")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":null}")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[null]}")]
    [InlineData("{\"payloadType\":\"t\",\"payload\":\"e30=\",\"signatures\":[{\"sig\":\"AQ==\"}]} trailing")]
    [InlineData("not json")]
    public void A_malformed_envelope_layer_is_SC4406(string envelope)
    {
        var annotations = new Dictionary<string, string> { [SignatureMediaTypes.SignatureAnnotation] = string.Empty };
        var ex = Assert.Throws<MalformedInputException>(() => LegacySignatureLayer.ToBundle(annotations, System.Text.Encoding.UTF8.GetBytes(envelope), isEnvelope: true));
        Assert.Equal("SC4406", ex.Code);
    }

    [Fact]
    public void A_certificate_that_is_not_der_keeps_the_bundle_code_SC1015()
    {
        var annotations = new Dictionary<string, string>
        {
            [SignatureMediaTypes.SignatureAnnotation] = "MEUCIQ==",
            [SignatureMediaTypes.CertificateAnnotation] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        };
        var ex = Assert.Throws<MalformedInputException>(() => LegacySignatureLayer.ToBundle(annotations, Payload, isEnvelope: false));
        Assert.Equal("SC1015", ex.Code);
    }
}
