namespace Verify.Storage;

/// <summary>The database providers Verify runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>A file under the data directory: embedded mode, one process.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: distributed mode, shared by the API and every worker.</summary>
    PostgreSql,
}

/// <summary>Where verifications, consents, templates and the blob index live.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>One of <see cref="DatabaseProvider"/>'s names; anything else stops start-up with the list of valid ones.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>The provider's connection string; for SQLite, empty means verify.db in <see cref="DataDirectory"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Embedded mode's home: the SQLite file, the encrypted blob files and the generated keys.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations at start-up (off where a deployment step migrates instead).</summary>
    public bool MigrateOnStart { get; set; } = true;

    internal DatabaseProvider ParsedProvider =>
        ConfiguredEnum.TryParse<DatabaseProvider>(Provider, out var provider) ? provider : throw new InvalidOperationException(UnknownProvider(Provider));

    internal string SqliteConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) ? $"Data Source={Path.Combine(DataDirectory, "verify.db")}" : ConnectionString;

    internal static string UnknownProvider(string? value) =>
        $"{SectionName}:{nameof(Provider)} '{value}' is not supported; use one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.";
}
