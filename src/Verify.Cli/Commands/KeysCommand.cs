using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;

namespace Verify.Cli.Commands;

/// <summary>`verify keys create`: issues an API key (stored hashed) and prints it once.</summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "API keys for the service.") { CreateKey() };

    private static Command CreateKey()
    {
        var client = new Option<string>("--client") { Description = "The client the key belongs to (a platform service, a reviewer, an operator).", Required = true };
        var role = new Option<string>("--role") { Description = "client (submit and read own), reviewer, or admin.", DefaultValueFactory = _ => "client" };
        role.AcceptOnlyFromAmong("client", "reviewer", "admin");
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("create", "Create an API key; the key is printed once and only its hash is stored.") { client, role, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliServices.BuildStorage(parse.GetValue(dataDirectory), storage => storage.AddSingleton<ApiKeyIssuer>());
            // Keys need the schema, not the encryption keys: migrate only (a fresh data directory works too).
            await using var db = await services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            var (key, text) = await services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, parse.GetRequiredValue(client),
                Enum.Parse<ApiRole>(parse.GetRequiredValue(role), ignoreCase: true), cancellationToken: cancellationToken);
            parse.InvocationConfiguration.Error.WriteLine($"Created {key.Role.ToString().ToLowerInvariant()} key {key.KeyId} for client '{key.ClientId}'. It is shown once; store it now:");
            parse.InvocationConfiguration.Output.WriteLine(text);
            return ExitCodes.Success;
        });
        return command;
    }
}
