using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Blobs;

namespace Verify.Storage;

/// <summary>Ready when the configured database answers; part of every host's readiness.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<VerifyDbContext> databases, IOptions<StorageOptions> options) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["provider"] = options.Value.ParsedProvider.ToString() };
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            return await db.Database.CanConnectAsync(cancellationToken).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("The database answers.", data)
                : HealthCheckResult.Unhealthy("The database does not answer.", data: data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The exception is logged by the health check service; the probe's answer names no host or path.
            return HealthCheckResult.Unhealthy("The database does not answer.", exception, data);
        }
    }
}

/// <summary>Ready when the store new images go to can be reached (the bucket lists, the directory exists; the database store is the database's check); part of every host's readiness.</summary>
internal sealed class BlobStoreHealthCheck(IServiceProvider services, IOptions<BlobStoreOptions> options) : IHealthCheck
{
    public const string Name = "blob-store";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var store = options.Value.Store;
        var data = new Dictionary<string, object> { ["store"] = store.ToString() };
        try
        {
            switch (store)
            {
                case BlobContentStore.S3:
                    await services.GetRequiredService<S3BlobContentStore>().CheckReachableAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case BlobContentStore.LocalDirectory:
                    Directory.CreateDirectory(services.GetRequiredService<DirectoryBlobContentStore>().Directory);
                    break;
                case BlobContentStore.Database:
                    return HealthCheckResult.Healthy("Images are kept in the database (see its check).", data);
            }

            return HealthCheckResult.Healthy("The blob store answers.", data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The exception's type only (an S3 error code, a refused connection): never its message, which names hosts and keys.
            data["error"] = exception is Amazon.S3.AmazonS3Exception s3 ? $"{s3.StatusCode} {s3.ErrorCode}" : exception.GetType().Name;
            return HealthCheckResult.Unhealthy("The blob store does not answer.", exception, data);
        }
    }
}
