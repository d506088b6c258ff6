using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace SupplyChain.Admission.Tests.Deploy;

/// <summary>
/// A read-only view of one YAML node (YamlDotNet's untyped tree: mappings, sequences, scalars) with the few
/// navigation helpers the manifest tests need. A missing key yields <see cref="Missing"/>, so a chain such as
/// <c>doc["spec"]["template"]</c> never throws and the assertion at its end reports what is absent.
/// </summary>
internal sealed class Yaml
{
    /// <summary>The absent node.</summary>
    public static readonly Yaml Missing = new(null, "(missing)");

    private readonly object? _value;

    private Yaml(object? value, string path)
    {
        _value = value;
        Path = path;
    }

    /// <summary>Where the node is, for assertion messages (<c>file#doc.spec.replicas</c>).</summary>
    public string Path { get; }

    /// <summary>Whether the node exists.</summary>
    public bool Exists => _value is not null;

    /// <summary>Whether the node is a mapping.</summary>
    public bool IsMap => _value is IDictionary<object, object>;

    /// <summary>The child under a mapping key, or <see cref="Missing"/>.</summary>
    public Yaml this[string key] =>
        _value is IDictionary<object, object> map && map.TryGetValue(key, out object? child) && child is not null
            ? new Yaml(child, Path + "." + key)
            : new Yaml(null, Path + "." + key);

    /// <summary>The items of a sequence (empty when the node is absent or not a sequence).</summary>
    public IReadOnlyList<Yaml> Items =>
        _value is IList<object> list ? [.. list.Select((v, i) => new Yaml(v, $"{Path}[{i}]"))] : [];

    /// <summary>The keys of a mapping (empty otherwise).</summary>
    public IReadOnlyList<string> Keys => _value is IDictionary<object, object> map ? [.. map.Keys.Select(k => (string)k)] : [];

    /// <summary>The scalar text, or <see langword="null"/> when the node is absent or not a scalar.</summary>
    public string? Str => _value as string;

    /// <summary>The scalar as an integer; fails the test when it is not one.</summary>
    public int Int => int.TryParse(Str, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : throw new Xunit.Sdk.XunitException($"{Path} is not an integer: '{Str}'");

    /// <summary>The scalar items of a sequence.</summary>
    public IReadOnlyList<string> Strings => [.. Items.Select(i => i.Str ?? throw new Xunit.Sdk.XunitException($"{i.Path} is not a scalar"))];

    /// <summary>A mapping of scalars as a dictionary (labels, matchLabels, data).</summary>
    public IReadOnlyDictionary<string, string> StringMap =>
        Keys.ToDictionary(k => k, k => this[k].Str ?? throw new Xunit.Sdk.XunitException($"{Path}.{k} is not a scalar"), StringComparer.Ordinal);

    /// <summary>Reads every document of a YAML stream (comments and <c>---</c> separators allowed).</summary>
    public static IReadOnlyList<Yaml> LoadAll(string text, string source)
    {
        IDeserializer deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        var docs = new List<Yaml>();
        while (parser.Accept<DocumentStart>(out _))
        {
            object? doc = deserializer.Deserialize<object>(parser);
            if (doc is not null)
            {
                docs.Add(new Yaml(doc, $"{source}#{docs.Count}"));
            }
        }

        return docs;
    }

    /// <summary>Reads one YAML file with a single document.</summary>
    public static Yaml LoadOne(string path) => Assert.Single(LoadAll(File.ReadAllText(path), path));

    /// <inheritdoc/>
    public override string ToString() => Path;
}
