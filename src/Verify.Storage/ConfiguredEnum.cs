namespace Verify.Storage;

/// <summary>Reads a configured choice (provider, transport) by name, ignoring case; numbers and unknown names are not choices.</summary>
public static class ConfiguredEnum
{
    public static bool TryParse<T>(string? value, out T result)
        where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out result) && Enum.IsDefined(result);
}
