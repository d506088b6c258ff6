using System.Reflection;

namespace SupplyChain.Signing.Tests.Architecture;

/// <summary>Renders an assembly's public surface as one sorted line per member.</summary>
internal static class PublicApi
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static List<string> Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (Type type in assembly.GetExportedTypes())
        {
            string name = Name(type);
            lines.Add($"{Kind(type)} {name}");
            if (type.IsEnum)
            {
                foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
                {
                    lines.Add($"{name}.{f.Name} = {Convert.ToInt64(f.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)}");
                }

                continue;
            }

            foreach (MemberInfo member in type.GetMembers(Declared))
            {
                switch (member)
                {
                    case ConstructorInfo c when !type.IsAbstract || c.IsPublic:
                        lines.Add($"{name}..ctor({Parameters(c)})");
                        break;
                    case MethodInfo m when !m.IsSpecialName:
                        lines.Add($"{name}.{(m.IsStatic ? "static " : string.Empty)}{m.Name}({Parameters(m)}) -> {Name(m.ReturnType)}".Replace($"{name}.static ", $"static {name}.", StringComparison.Ordinal).Replace("static ", string.Empty, StringComparison.Ordinal));
                        break;
                    case PropertyInfo p:
                        lines.Add($"{name}.{p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : string.Empty)}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(t => t.Name == "IsExternalInit") ? " init;" : " set;") : string.Empty)} }} -> {Name(p.PropertyType)}");
                        break;
                    case FieldInfo f when f.IsLiteral:
                        lines.Add($"{name}.{f.Name} = \"{f.GetRawConstantValue()}\"");
                        break;
                    case FieldInfo f:
                        lines.Add($"{name}.{f.Name} -> {Name(f.FieldType)}");
                        break;
                    case EventInfo e:
                        lines.Add($"{name}.{e.Name} event -> {Name(e.EventHandlerType!)}");
                        break;
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class"
        : t.IsAbstract ? "abstract class" : t.IsSealed ? "sealed class" : "class";

    private static string Parameters(MethodBase method) => string.Join(", ", method.GetParameters().Select(p => Name(p.ParameterType) + (p.IsOptional ? " = default" : string.Empty)));

    private static string Name(Type t)
    {
        if (t.IsByRef)
        {
            return Name(t.GetElementType()!) + "&";
        }

        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }

        if (Nullable.GetUnderlyingType(t) is { } inner)
        {
            return Name(inner) + "?";
        }

        if (!t.IsGenericType)
        {
            return t.FullName ?? t.Name;
        }

        string definition = t.GetGenericTypeDefinition().FullName!;
        definition = definition[..definition.IndexOf('`', StringComparison.Ordinal)];
        return $"{definition}<{string.Join(", ", t.GetGenericArguments().Select(Name))}>";
    }
}
