// Scaffolds one migration per provider: dotnet run -- NAME REPO_ROOT (see scripts/add-migration.sh).
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal;
using Verify.Data;
using Verify.Data.PostgreSql;
using Verify.Data.Sqlite;

#pragma warning disable EF1001 // The providers' design-time services are internal API, as dotnet-ef uses them.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: Verify.Migrations NAME REPO_ROOT");
    return 2;
}

string name = args[0], root = args[1];
var sqlite = new DbContextOptionsBuilder<VerifyDbContext>();
sqlite.UseVerifySqlite("Data Source=:memory:");
Scaffold("Verify.Data.Sqlite", new VerifyDbContext(sqlite.Options), new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices());
var postgres = new DbContextOptionsBuilder<VerifyDbContext>();
postgres.UseVerifyPostgreSql("Host=127.0.0.1");
Scaffold("Verify.Data.PostgreSql", new VerifyDbContext(postgres.Options), new NpgsqlDesignTimeServices());
return 0;

void Scaffold(string project, VerifyDbContext context, IDesignTimeServices providerServices)
{
    using (context)
    {
        var services = new ServiceCollection();
        services.AddEntityFrameworkDesignTimeServices();
        services.AddDbContextDesignTimeServices(context);
        providerServices.ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();
        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(name, project, "Migrations", "C#");
        string projectDir = Path.Combine(root, "src", project);
        var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Migrations"));
        Console.WriteLine($"{project}: {files.MigrationFile}");
    }
}
