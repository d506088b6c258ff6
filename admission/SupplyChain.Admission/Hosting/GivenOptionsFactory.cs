using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace SupplyChain.Admission.Hosting;

/// <summary>
/// The options pattern over options built by the caller (flags, environment, code): <see cref="IOptions{TOptions}"/>
/// hands out that instance, after the registered <see cref="IValidateOptions{TOptions}"/> passed it
/// (<c>ValidateOnStart</c> runs them when the host starts). <see cref="AdmissionServerOptions"/> is immutable, so
/// configure actions cannot apply; none is registered.
/// </summary>
/// <typeparam name="TOptions">The options type (the annotation matches the base class's; its parameterless constructor is never used here).</typeparam>
internal sealed class GivenOptionsFactory<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions> : OptionsFactory<TOptions>
    where TOptions : class
{
    private readonly TOptions _given;

    public GivenOptionsFactory(TOptions given, IEnumerable<IValidateOptions<TOptions>> validations)
        : base([], [], validations)
    {
        _given = given;
    }

    protected override TOptions CreateInstance(string name) => _given;
}
