using Npgsql;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Storage;

/// <summary>
/// A real PostgreSQL on 127.0.0.1, started by scripts/postgres.sh (the same script operators use); each test class
/// gets a database of its own, dropped afterwards. scripts/test.sh stops the server when the run ends.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _adminConnectionString = "";

    public string ConnectionString { get; private set; } = "";

    /// <summary>The storage settings of a host on this class's database, with fixed test keys.</summary>
    public Dictionary<string, string?> StorageSettings() => new()
    {
        ["Storage:Provider"] = "PostgreSql",
        ["Storage:ConnectionString"] = ConnectionString,
        ["Protection:Keys:k1"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray()),
        ["Protection:ActiveKeyId"] = "k1",
        ["Protection:FingerprintKey"] = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 101)).ToArray()),
    };

    public async Task InitializeAsync()
    {
        string output = await Scripts.RunAsync("postgres.sh", "start");
        _adminConnectionString = output.Trim().Split('\n')[^1];
        string database = $"verify_test_{Guid.NewGuid():N}";
        await Execute($"CREATE DATABASE {database}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = database, Pooling = false }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            return;
        }

        string database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await Execute($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    private async Task Execute(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
