using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Storage;

namespace Verify.Cli.Commands;

/// <summary>
/// `verify keys create | list | revoke | rotate`: the service's API keys, on its database. Secrets are printed once, at
/// creation or rotation, and never listed (only their hashes are stored).
/// </summary>
internal static class KeysCommand
{
    public static Command Create() => new("keys", "API keys for the service.") { CreateKey(), ListKeys(), RevokeKey(), RotateKey() };

    private static Command CreateKey()
    {
        var client = new Option<string>("--client") { Description = "The client the key belongs to (a platform service, a reviewer, an operator).", Required = true };
        var role = new Option<string>("--role") { Description = "client (submit and read own), reviewer, or admin.", DefaultValueFactory = _ => "client" };
        role.AcceptOnlyFromAmong("client", "reviewer", "admin");
        var expires = new Option<string?>("--expires") { Description = "When the key stops working: a duration from now (90d, 24h, 30m) or a UTC date (2027-06-30 or 2027-06-30T12:00:00Z). Default: never." };
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("create", "Create an API key; the key is printed once and only its hash is stored.") { client, role, expires, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = Services(parse.GetValue(dataDirectory));
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            DateTimeOffset? expiresAt = null;
            if (parse.GetValue(expires) is { } text)
            {
                if (KeyLifetimes.ParseExpiry(text, now) is not { } at || at <= now)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"error: --expires '{text}' is not a duration (90d, 24h, 30m) or a UTC date in the future.");
                    return ExitCodes.Usage;
                }

                expiresAt = at;
            }

            await using var db = await DatabaseAsync(services, cancellationToken);
            var (key, secret) = await services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, parse.GetRequiredValue(client),
                Enum.Parse<ApiRole>(parse.GetRequiredValue(role), ignoreCase: true), expiresAt: expiresAt, cancellationToken: cancellationToken);
            string until = key.ExpiresAt is { } end ? $", expiring {Date(end)}" : "";
            parse.InvocationConfiguration.Error.WriteLine($"Created {Word(key.Role)} key {key.KeyId} for client '{key.ClientId}'{until}. It is shown once; store it now:");
            parse.InvocationConfiguration.Output.WriteLine(secret);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command ListKeys()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("list", "List the keys: id, client, role, created, expires, revoked (never a secret).") { dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = Services(parse.GetValue(dataDirectory));
            await using var db = await DatabaseAsync(services, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"{"id",-16}  {"client",-24}  {"role",-8}  {"created",-20}  {"expires",-20}  revoked");
            foreach (var key in await services.GetRequiredService<ApiKeyIssuer>().ListAsync(db, cancellationToken))
            {
                output.WriteLine($"{key.KeyId,-16}  {key.ClientId,-24}  {Word(key.Role),-8}  {Date(key.CreatedAt),-20}  {Date(key.ExpiresAt),-20}  {Date(key.RevokedAt)}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RevokeKey()
    {
        var id = new Argument<string>("id") { Description = "The key's id (the part after vk_, as `keys list` shows it)." };
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("revoke", "Revoke a key at once: the next request with it gets 401. Audited as key.revoked.") { id, dataDirectory };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = Services(parse.GetValue(dataDirectory));
            await using var db = await DatabaseAsync(services, cancellationToken);
            if (await services.GetRequiredService<ApiKeyIssuer>().RevokeAsync(db, parse.GetRequiredValue(id), cancellationToken: cancellationToken) is not { } key)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: no key {parse.GetRequiredValue(id)}.");
                return ExitCodes.BadInput;
            }

            parse.InvocationConfiguration.Output.WriteLine($"Revoked {Word(key.Role)} key {key.KeyId} of client '{key.ClientId}' at {Date(key.RevokedAt)}.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RotateKey()
    {
        var id = new Argument<string>("id") { Description = "The key's id (the part after vk_, as `keys list` shows it)." };
        var grace = new Option<string>("--grace") { Description = "How long the old key keeps working (24h, 7d, 0s).", DefaultValueFactory = _ => "24h" };
        var dataDirectory = CommonOptions.DataDirectory();
        var command = new Command("rotate", "Issue a new key for the same client and role (printed once); the old one expires after the grace. Audited as key.rotated.")
        {
            id, grace, dataDirectory,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (KeyLifetimes.ParseDuration(parse.GetRequiredValue(grace)) is not { } period || period < TimeSpan.Zero)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: --grace '{parse.GetRequiredValue(grace)}' is not a duration (24h, 7d, 0s).");
                return ExitCodes.Usage;
            }

            await using var services = Services(parse.GetValue(dataDirectory));
            await using var db = await DatabaseAsync(services, cancellationToken);
            if (await services.GetRequiredService<ApiKeyIssuer>().RotateAsync(db, parse.GetRequiredValue(id), period, cancellationToken: cancellationToken) is not { } rotated)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: no key {parse.GetRequiredValue(id)} that is still valid (a revoked or expired key is not rotated: create one).");
                return ExitCodes.BadInput;
            }

            parse.InvocationConfiguration.Error.WriteLine($"Rotated {Word(rotated.Key.Role)} key {rotated.Old.KeyId} of client '{rotated.Key.ClientId}': it expires {Date(rotated.Old.ExpiresAt)}. "
                + $"The new key {rotated.Key.KeyId} is shown once; store it now:");
            parse.InvocationConfiguration.Output.WriteLine(rotated.Text);
            return ExitCodes.Success;
        });
        return command;
    }

    private static ServiceProvider Services(DirectoryInfo? dataDirectory) =>
        CliServices.BuildStorage(dataDirectory, storage => storage.AddSingleton<ApiKeyIssuer>());

    /// <summary>
    /// Keys need the schema, not the encryption keys: migrate only (a fresh data directory works too), under the same
    /// lock as the hosts, so a key created while they start never races them on a fresh database.
    /// </summary>
    private static async Task<VerifyDbContext> DatabaseAsync(ServiceProvider services, CancellationToken cancellationToken)
    {
        var db = await services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync(cancellationToken);
        await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(db, cancellationToken);
        return db;
    }

    private static string Word(ApiRole role) => role.ToString().ToLowerInvariant();

    private static string Date(DateTime? at) => at is { } value ? value.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture) : "-";
}

/// <summary>The command line's key lifetimes: <c>90d</c>, <c>24h</c>, <c>30m</c>, <c>45s</c>, a TimeSpan (1.00:00:00), or for an expiry a UTC date.</summary>
internal static class KeyLifetimes
{
    public static TimeSpan? ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = text.Trim();
        if (text.Length >= 2 && char.IsAsciiLetter(text[^1]) && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
        {
            return text[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                's' => TimeSpan.FromSeconds(amount),
                _ => null,
            };
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) ? span : null;
    }

    public static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        if (ParseDuration(text) is { } duration)
        {
            return now + duration;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }
}
