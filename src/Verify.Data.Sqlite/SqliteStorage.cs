using Microsoft.EntityFrameworkCore;

namespace Verify.Data.Sqlite;

/// <summary>Configures <see cref="VerifyDbContext"/> for SQLite with the migrations of this assembly.</summary>
public static class SqliteStorage
{
    public static DbContextOptionsBuilder UseVerifySqlite(this DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteStorage).Assembly.GetName().Name));
    }
}

