using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Data;

namespace Verify.Pipeline.Audit;

/// <summary>Runs the <see cref="AuditSealer"/> every <see cref="AuditOptions.SealInterval"/> (in each API process).</summary>
public sealed partial class AuditSealingService(
    IDbContextFactory<VerifyDbContext> databases, AuditSealer sealer, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditSealingService> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SealInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        int rows = await sealer.SealAsync(db, cancellationToken).ConfigureAwait(false);
        if (rows > 0)
        {
            LogSealed(logger, rows);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit chain: {Rows} rows sealed")]
    private static partial void LogSealed(ILogger logger, int rows);
}
