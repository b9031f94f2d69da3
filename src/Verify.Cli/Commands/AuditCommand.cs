using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Protection;
using Verify.Pipeline;
using Verify.Pipeline.Audit;

namespace Verify.Cli.Commands;

/// <summary>`verify audit verify`: checks the audit chain of the service's database and names the first broken row.</summary>
internal static class AuditCommand
{
    public static Command Create() => new("audit", "The service's tamper-evident audit log.") { VerifyChain() };

    private static Command VerifyChain()
    {
        var dataDirectory = CommonOptions.DataDirectory();
        var seal = new Option<bool>("--seal") { Description = "Seal the rows still waiting for the sealer first (writes to the database)." };
        var grace = new Option<TimeSpan?>("--grace")
        {
            Description = "How long a row may wait unsealed before it counts as a break, e.g. 00:10:00 (default: Audit__UnsealedGrace, else 10 minutes).",
        };
        var command = new Command("verify", "Check the audit chain: every row's seal, no row missing or inserted, subject ids against their digests. " +
            "Exit code 0 when intact, 1 naming the first broken row, 4 when the database or its keys cannot be read.")
        {
            dataDirectory, seal, grace,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            await using var services = CliServices.BuildStorage(parse.GetValue(dataDirectory), storage => storage.AddVerifyAudit());
            // The audit key is the service's: never let embedded mode's key file be generated afresh for a check.
            if (services.GetRequiredService<IOptions<ProtectionOptions>>().Value.GeneratedKeyFile is { } keyFile && !File.Exists(keyFile))
            {
                error.WriteLine($"error: no keys at {keyFile}: point --data-dir at the service's data directory, or configure the Protection keys.");
                return ExitCodes.BadInput;
            }

            await using var db = await services.GetRequiredService<IDbContextFactory<VerifyDbContext>>().CreateDbContextAsync(cancellationToken);
            int pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                error.WriteLine($"error: the database is not at this version's schema ({pending} migrations pending): start the service once, then check again.");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(seal))
            {
                int sealedRows = await services.GetRequiredService<AuditSealer>().SealAsync(db, cancellationToken);
                error.WriteLine($"sealed {sealedRows} rows");
            }

            var unsealedGrace = parse.GetValue(grace) ?? services.GetRequiredService<IOptions<AuditOptions>>().Value.UnsealedGrace;
            var report = await services.GetRequiredService<AuditChain>().VerifyAsync(db, unsealedGrace, cancellationToken);
            output.WriteLine(Describe(report));
            return report.Intact ? ExitCodes.Success : ExitCodes.AuditBroken;
        });
        return command;
    }

    private static string Describe(AuditChainReport report)
    {
        string head = report.HeadSequence is { } sequence
            ? string.Create(CultureInfo.InvariantCulture, $", head #{sequence} {Convert.ToHexStringLower(report.HeadHash ?? [])}")
            : "";
        string checkedRows = string.Create(CultureInfo.InvariantCulture, $"{report.Rows} rows{head}; {report.Unsealed} unsealed");
        if (report.FirstBreak is not { } broken)
        {
            return $"audit chain intact: {checkedRows}";
        }

        string position = broken.Sequence is { } at ? string.Create(CultureInfo.InvariantCulture, $" (sequence {at})") : " (unsealed)";
        return string.Create(CultureInfo.InvariantCulture, $"audit chain broken at row {broken.Id}{position}: {Word(broken.Kind)}: {broken.Description}") +
            Environment.NewLine + $"verified before it: {checkedRows}";
    }

    private static string Word(AuditBreakKind kind) => kind switch
    {
        AuditBreakKind.Modified => "modified",
        AuditBreakKind.MissingBefore => "rows missing before it",
        AuditBreakKind.Inserted => "inserted",
        AuditBreakKind.Unlinked => "unlinked",
        AuditBreakKind.SubjectChanged => "subject changed",
        AuditBreakKind.OtherKey => "other key",
        _ => "left unsealed",
    };
}
