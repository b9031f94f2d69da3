using Microsoft.EntityFrameworkCore;

namespace Verify.Data.PostgreSql;

/// <summary>Configures <see cref="VerifyDbContext"/> for PostgreSQL with the migrations of this assembly.</summary>
public static class PostgreSqlStorage
{
    public static DbContextOptionsBuilder UseVerifyPostgreSql(this DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgreSqlStorage).Assembly.GetName().Name));
    }
}

