using System.Collections;
using System.Reflection;

namespace Verify.UnitTests.Deployment;

/// <summary>
/// Whether an environment variable <c>Section__Key[__Sub]</c> reaches a property of an options class, as configuration
/// binding would: the section is an options class's <c>SectionName</c> (colons as <c>__</c>), each further segment a
/// public property, case-insensitively; an index after a list or array, any key after a dictionary.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Every options class of the service: the classes of the Verify assemblies with a <c>SectionName</c> constant.</summary>
    public static IReadOnlyList<(string[] Section, Type Options)> OptionsClasses { get; } = Discover();

    public static bool IsBound(string variable)
    {
        string[] segments = variable.Split("__");
        return OptionsClasses.Any(options =>
            segments.Length > options.Section.Length
            && options.Section.Select((part, index) => string.Equals(part, segments[index], StringComparison.OrdinalIgnoreCase)).All(same => same)
            && Resolves(options.Options, segments.AsSpan(options.Section.Length)));
    }

    private static bool Resolves(Type type, ReadOnlySpan<string> rest)
    {
        if (IsValue(type))
        {
            return rest.IsEmpty;
        }

        if (rest.IsEmpty)
        {
            return false;
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return Resolves(valueType, rest[1..]);
        }

        if (ElementType(type) is { } elementType)
        {
            return int.TryParse(rest[0], out int index) && index >= 0 && Resolves(elementType, rest[1..]);
        }

        var property = type.GetProperty(rest[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        // The binder sets writable properties, and fills collections it can only read.
        return property is not null
            && (property.SetMethod is { IsPublic: true } || DictionaryValueType(property.PropertyType) is not null || ElementType(property.PropertyType) is not null)
            && Resolves(property.PropertyType, rest[1..]);
    }

    private static bool IsValue(Type type)
    {
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        return plain.IsPrimitive || plain.IsEnum || plain == typeof(string) || plain == typeof(decimal) || plain == typeof(TimeSpan)
            || plain == typeof(DateTime) || plain == typeof(DateTimeOffset) || plain == typeof(Uri) || plain == typeof(Guid);
    }

    private static Type? DictionaryValueType(Type type) =>
        Generic(type, typeof(IDictionary<,>)) is { } dictionary && dictionary.GetGenericArguments()[0] == typeof(string)
            ? dictionary.GetGenericArguments()[1]
            : Generic(type, typeof(IReadOnlyDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string) ? Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0]
        : null;

    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition);

    private static List<(string[] Section, Type Options)> Discover()
    {
        string self = typeof(ConfigurationKeys).Assembly.GetName().Name!;
        return Directory.GetFiles(AppContext.BaseDirectory, "Verify.*.dll")
            .Select(AssemblyName.GetAssemblyName)
            .Where(name => name.Name != self)
            .Select(Assembly.Load)
            .SelectMany(assembly => assembly.GetTypes())
            .Select(type => (Type: type, Field: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(candidate => candidate.Field is { IsLiteral: true } && candidate.Field.FieldType == typeof(string))
            .Select(candidate => (((string)candidate.Field!.GetRawConstantValue()!).Split(':'), candidate.Type))
            .ToList();
    }
}
