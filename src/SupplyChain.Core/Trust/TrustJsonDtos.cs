using System.Text.Json.Serialization;

namespace SupplyChain.Core.Trust;

// Internal DTOs for protobuf-specs sigstore_trustroot.proto (TrustedRoot, SigningConfig v0.2) in
// proto3 JSON. Unknown fields are tolerated here (unlike bundles): the trusted root is signed,
// operator-supplied input and newer protobuf-specs releases add fields such as "operator".
#pragma warning disable CA1812 // instantiated by the source-generated serializer

internal sealed class TrustedRootDto
{
    public string? MediaType { get; set; }
    public List<TransparencyLogInstanceDto?>? Tlogs { get; set; }
    public List<CertificateAuthorityDto?>? CertificateAuthorities { get; set; }
    public List<TransparencyLogInstanceDto?>? Ctlogs { get; set; }
    public List<CertificateAuthorityDto?>? TimestampAuthorities { get; set; }
}

internal sealed class TransparencyLogInstanceDto
{
    public string? BaseUrl { get; set; }
    public string? HashAlgorithm { get; set; }
    public PublicKeyDto? PublicKey { get; set; }
    public LogIdJsonDto? LogId { get; set; }
    public LogIdJsonDto? CheckpointKeyId { get; set; }
    public string? Operator { get; set; }
}

internal sealed class LogIdJsonDto
{
    public string? KeyId { get; set; }
}

internal sealed class PublicKeyDto
{
    public string? RawBytes { get; set; }
    public string? KeyDetails { get; set; }
    public TimeRangeDto? ValidFor { get; set; }
}

internal sealed class TimeRangeDto
{
    public DateTimeOffset? Start { get; set; }
    public DateTimeOffset? End { get; set; }
}

internal sealed class CertificateAuthorityDto
{
    public DistinguishedNameDto? Subject { get; set; }
    public string? Uri { get; set; }
    public CertChainDto? CertChain { get; set; }
    public TimeRangeDto? ValidFor { get; set; }
    public string? Operator { get; set; }
}

internal sealed class DistinguishedNameDto
{
    public string? Organization { get; set; }
    public string? CommonName { get; set; }
}

internal sealed class CertChainDto
{
    public List<RawBytesDto?>? Certificates { get; set; }
}

internal sealed class RawBytesDto
{
    public string? RawBytes { get; set; }
}

internal sealed class SigningConfigDto
{
    public string? MediaType { get; set; }
    public List<ServiceDto?>? CaUrls { get; set; }
    public List<ServiceDto?>? OidcUrls { get; set; }
    public List<ServiceDto?>? RekorTlogUrls { get; set; }
    public List<ServiceDto?>? TsaUrls { get; set; }
    public ServiceConfigurationDto? RekorTlogConfig { get; set; }
    public ServiceConfigurationDto? TsaConfig { get; set; }
}

internal sealed class ServiceDto
{
    public string? Url { get; set; }
    public int? MajorApiVersion { get; set; }
    public TimeRangeDto? ValidFor { get; set; }
    public string? Operator { get; set; }
}

internal sealed class ServiceConfigurationDto
{
    public string? Selector { get; set; }
    public int? Count { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    AllowDuplicateProperties = false,
    MaxDepth = Limits.MaxJsonDepth)]
[JsonSerializable(typeof(TrustedRootDto))]
[JsonSerializable(typeof(SigningConfigDto))]
internal sealed partial class TrustJsonContext : JsonSerializerContext;
