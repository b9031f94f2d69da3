using Microsoft.Extensions.Logging;
using Verify.Documents.Chip;

namespace Verify.Documents.Hosting;

/// <summary>Loads the configured CSCA trust store once, at the first chip, and says in the log what it holds.</summary>
internal static partial class CscaTrustStoreLoader
{
    /// <summary>The store in <see cref="ChipOptions.TrustStore"/>; the empty store when none is configured or the folder is missing.</summary>
    public static CscaTrustStore Load(ChipOptions options, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(options.TrustStore))
        {
            LogNoTrustStore(logger);
            return CscaTrustStore.Empty;
        }

        if (!Directory.Exists(options.TrustStore))
        {
            LogMissingFolder(logger, options.TrustStore);
            return CscaTrustStore.Empty;
        }

        var store = CscaTrustStore.Load(options.TrustStore);
        foreach (var skipped in store.Skipped)
        {
            LogSkipped(logger, skipped);
        }

        LogLoaded(logger, store.CertificateCount, store.CrlCount, options.TrustStore);
        return store;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No CSCA trust store configured (Documents:Chip:TrustStore): every chip's signer is unknown and goes to review")]
    private static partial void LogNoTrustStore(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CSCA trust store folder {Folder} does not exist: every chip's signer is unknown and goes to review")]
    private static partial void LogMissingFolder(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CSCA trust store: left out {Skipped}")]
    private static partial void LogSkipped(ILogger logger, string skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "CSCA trust store: {Certificates} CSCA certificates and {Crls} CRLs from {Folder}")]
    private static partial void LogLoaded(ILogger logger, int certificates, int crls, string folder);
}
