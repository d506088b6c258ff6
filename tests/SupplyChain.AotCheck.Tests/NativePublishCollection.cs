namespace SupplyChain.AotCheck.Tests;

/// <summary>
/// The tests that run <c>dotnet publish</c> with NativeAOT: one at a time, since both build the same libraries in the same
/// configuration (MSBuild does not share an obj folder between concurrent builds) and each ILCompiler run takes a core.
/// </summary>
[CollectionDefinition(Name)]
public sealed class NativePublishCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "native publish";
}
