using Microsoft.Extensions.Logging;
using Verify.Documents.Chip;

namespace Verify.Documents.Hosting;

/// <summary>Loads the configured CSCA trust store once, when the container first resolves it (with the document reader
/// that depends on it, not at start-up), and says in the log what it holds.</summary>
internal static partial class CscaTrustStoreLoader
{
    /// <summary>The store in <see cref="ChipOptions.TrustStore"/>; the empty store when none is configured or the folder is
    /// missing or cannot be listed (a failure here would fail every document, not only chips).</summary>
    public static CscaTrustStore Load(ChipOptions options, ILogger logger) => Load(options, logger, CscaTrustStore.Load);

    /// <summary>The store that <paramref name="read"/> makes of the configured folder (tests raise a folder's failures through it).</summary>
    internal static CscaTrustStore Load(ChipOptions options, ILogger logger, Func<string, CscaTrustStore> read)
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

        CscaTrustStore store;
        try
        {
            store = read(options.TrustStore);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogUnreadableFolder(logger, options.TrustStore, exception.GetType().Name);
            return CscaTrustStore.Empty;
        }

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

    [LoggerMessage(Level = LogLevel.Error, Message = "CSCA trust store folder {Folder} cannot be listed ({Error}): every chip's signer is unknown and goes to review")]
    private static partial void LogUnreadableFolder(ILogger logger, string folder, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CSCA trust store: left out {Skipped}")]
    private static partial void LogSkipped(ILogger logger, string skipped);

    [LoggerMessage(Level = LogLevel.Information, Message = "CSCA trust store: {Certificates} CSCA certificates and {Crls} CRLs from {Folder}")]
    private static partial void LogLoaded(ILogger logger, int certificates, int crls, string folder);
}
