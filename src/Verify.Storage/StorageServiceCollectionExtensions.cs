using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Verify.Data;
using Verify.Data.Audit;
using Verify.Data.Blobs;
using Verify.Data.PostgreSql;
using Verify.Data.Protection;
using Verify.Data.Sqlite;

namespace Verify.Storage;

/// <summary>The one place that chooses the database provider and the blob content store, and sets up encryption at rest.</summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddVerifyStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        // Embedded mode keeps generated keys and blob files under the data directory unless configured otherwise.
        services.AddOptions<ProtectionOptions>().BindConfiguration(ProtectionOptions.SectionName).ValidateDataAnnotations()
            .Configure<IOptions<StorageOptions>>((protection, storage) =>
            {
                if (protection.Keys.Count == 0 && protection.GeneratedKeyFile is null && storage.Value.ParsedProvider == DatabaseProvider.Sqlite)
                {
                    protection.GeneratedKeyFile = Path.Combine(storage.Value.DataDirectory, "keys.json");
                }
            });
        services.AddOptions<BlobStoreOptions>().BindConfiguration(BlobStoreOptions.SectionName).ValidateDataAnnotations().ValidateOnStart()
            .Configure<IOptions<StorageOptions>>((blobs, storage) => blobs.Directory ??= Path.Combine(storage.Value.DataDirectory, "blobs"));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider => ProtectionKeyRing.Create(provider.GetRequiredService<IOptions<ProtectionOptions>>().Value));
        services.TryAddSingleton<PayloadProtector>();
        services.TryAddSingleton<DocumentFingerprinter>();
        services.TryAddSingleton<AuditRowMac>();
        services.TryAddSingleton(provider => new DirectoryBlobContentStore(provider.GetRequiredService<IOptions<BlobStoreOptions>>().Value.Directory!));
        services.TryAddSingleton(provider => new S3BlobContentStore(provider.GetRequiredService<IOptions<BlobStoreOptions>>().Value.S3));
        services.TryAddSingleton(CreateBlobStore);

        services.AddDbContextFactory<VerifyDbContext>((provider, builder) =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            switch (storage.ParsedProvider)
            {
                case DatabaseProvider.Sqlite:
                    Directory.CreateDirectory(storage.DataDirectory);
                    builder.UseVerifySqlite(storage.SqliteConnectionString);
                    break;
                case DatabaseProvider.PostgreSql:
                    builder.UseVerifyPostgreSql(storage.ConnectionString
                        ?? throw new InvalidOperationException($"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)} is required for PostgreSQL."));
                    break;
            }

            // Audit rows get their subject digest as they are saved, whoever writes them.
            builder.AddInterceptors(AuditSubjectInterceptor.Instance);
        });
        services.TryAddSingleton<DatabaseMigrator>();
        services.AddHostedService<StorageInitializer>();
        // Readiness ("ready", as the hosts' /health/ready selects) covers the storage a host really uses.
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: ["ready"])
            .AddCheck<BlobStoreHealthCheck>(BlobStoreHealthCheck.Name, tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// New content goes to the configured store; the directory (and the bucket, when one is configured) are still
    /// read and cleaned, so images written before a change of store are deleted on schedule all the same.
    /// </summary>
    private static EncryptedBlobStore CreateBlobStore(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<BlobStoreOptions>>().Value;
        var directory = provider.GetRequiredService<DirectoryBlobContentStore>();
        S3BlobContentStore? bucket = options.Store == BlobContentStore.S3 || !string.IsNullOrWhiteSpace(options.S3.Bucket)
            ? provider.GetRequiredService<S3BlobContentStore>()
            : null;
        IBlobContentStore? target = options.Store switch
        {
            BlobContentStore.LocalDirectory => directory,
            BlobContentStore.S3 => bucket,
            _ => null,
        };
        IBlobContentStore[] stores = bucket is null ? [directory] : [directory, bucket];
        return new EncryptedBlobStore(options, provider.GetRequiredService<PayloadProtector>(), provider.GetRequiredService<TimeProvider>(), target, stores);
    }

    private sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
    {
        public ValidateOptionsResult Validate(string? name, StorageOptions options)
        {
            if (!ConfiguredEnum.TryParse<DatabaseProvider>(options.Provider, out var provider))
            {
                return ValidateOptionsResult.Fail(StorageOptions.UnknownProvider(options.Provider));
            }

            return provider == DatabaseProvider.PostgreSql && string.IsNullOrWhiteSpace(options.ConnectionString)
                ? ValidateOptionsResult.Fail($"{StorageOptions.SectionName}:{nameof(StorageOptions.ConnectionString)} is required for PostgreSQL.")
                : ValidateOptionsResult.Success;
        }
    }
}
