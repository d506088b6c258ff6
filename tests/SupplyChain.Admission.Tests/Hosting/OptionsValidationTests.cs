using Microsoft.Extensions.Options;
using SupplyChain.Admission.Hosting;
using SupplyChain.Core.Errors;

namespace SupplyChain.Admission.Tests.Hosting;

/// <summary>The server's options rules as an IValidateOptions validator: every failure reported, SC7208 before anything starts, IOptions over the given instance.</summary>
public class OptionsValidationTests
{
    private static AdmissionServerOptions Valid => new() { TlsCertificatePath = "tls.crt", TlsKeyPath = "tls.key", PolicyPath = "policy.yaml" };

    [Fact]
    public void Valid_options_pass_and_iOptions_hands_out_the_same_instance()
    {
        AdmissionServerOptions options = Valid;
        Assert.True(new AdmissionServerOptionsValidator().Validate(null, options).Succeeded);
        var factory = new GivenOptionsFactory<AdmissionServerOptions>(options, [new AdmissionServerOptionsValidator()]);
        Assert.Same(options, new OptionsManager<AdmissionServerOptions>(factory).Value);
    }

    [Fact]
    public void Every_broken_rule_is_reported_and_the_server_refuses_them_SC7208()
    {
        AdmissionServerOptions options = new()
        {
            TlsCertificatePath = "tls.crt",
            TlsKeyPath = "tls.key",
            PolicyPath = "",
            ReloadInterval = TimeSpan.Zero,
            MaxConcurrentDownloads = 0,
        };
        ValidateOptionsResult result = new AdmissionServerOptionsValidator().Validate(null, options);
        Assert.Equal(3, result.Failures!.Count());

        var factory = new GivenOptionsFactory<AdmissionServerOptions>(options, [new AdmissionServerOptionsValidator()]);
        Assert.Throws<OptionsValidationException>(() => new OptionsManager<AdmissionServerOptions>(factory).Value);
        Assert.Equal("SC7208", Assert.ThrowsAny<SupplyChainException>(() => options.Validate()).Code);
    }
}
