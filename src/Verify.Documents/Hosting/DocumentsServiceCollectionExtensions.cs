using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Documents.Aamva;
using Verify.Documents.Checks;
using Verify.Documents.Chip;
using Verify.Documents.Ocr;
using Verify.Documents.Portrait;
using Verify.Documents.Reading;
using Verify.Inference.Models;
using Verify.Inference.Quality;

namespace Verify.Documents.Hosting;

/// <summary>Registers document reading: the Tesseract pool, the MRZ reader, the licence barcode reader, the portrait locator and chip authentication.</summary>
public static class DocumentsServiceCollectionExtensions
{
    /// <summary>Document reading on top of <c>AddVerifyInference()</c> (which provides the model catalog and face detector).</summary>
    public static IServiceCollection AddVerifyDocuments(this IServiceCollection services)
    {
        services.AddOptions<MrzReadingOptions>().BindConfiguration(MrzReadingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<MrzReadingOptions>>().Value;
            var catalog = provider.GetRequiredService<ModelCatalog>();
            return new MrzReader(CreateMrzPool(catalog, options), CreateMrzFallbackPool(catalog, options), options,
                provider.GetRequiredService<TimeProvider>(), string.IsNullOrEmpty(options.GlyphFont) ? null : OcrBGlyphs.Load(options.GlyphFont));
        });
        services.AddOptions<DocumentCheckOptions>().BindConfiguration(DocumentCheckOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PortraitLocator>();
        services.TryAddSingleton<AamvaBarcodeReader>();
        services.AddOptions<PrintedZoneOptions>().BindConfiguration(PrintedZoneOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DocumentRecaptureOptions>().BindConfiguration(DocumentRecaptureOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider => new PrintedZoneReader(CreatePrintedZonePool(provider.GetRequiredService<ModelCatalog>(),
            provider.GetRequiredService<IOptions<PrintedZoneOptions>>().Value)));
        services.TryAddSingleton(provider => new DocumentChecks(provider.GetRequiredService<IOptions<DocumentCheckOptions>>().Value));
        services.TryAddSingleton<DocumentReader>();
        services.AddOptions<ChipOptions>().BindConfiguration(ChipOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider => CscaTrustStoreLoader.Load(provider.GetRequiredService<IOptions<ChipOptions>>().Value,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CscaTrustStore).FullName!)));
        services.TryAddSingleton<PassiveAuthenticator>();
        services.AddHostedService<OcrWarmupService>();
        return services;
    }

    /// <summary>The pool of MRZ readers: traineddata verified against its manifest, one instance per processor by default.</summary>
    public static TesseractPool CreateMrzPool(ModelCatalog catalog, MrzReadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreatePool(catalog, options.TraineddataModel, new TesseractSetup("", options.Language, options.EngineMode,
            options.Segmentation, MrzReader.Alphabet, Symbols: true, options.RecognitionDeadline), options.PoolSize);
    }

    /// <summary>The second MRZ engine's pool, or null when none is configured.</summary>
    public static TesseractPool? CreateMrzFallbackPool(ModelCatalog catalog, MrzReadingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrEmpty(options.FallbackTraineddataModel)
            ? null
            : CreatePool(catalog, options.FallbackTraineddataModel, new TesseractSetup("", options.FallbackLanguage,
                options.FallbackEngineMode, options.Segmentation, MrzReader.Alphabet, Symbols: true, options.RecognitionDeadline), options.PoolSize);
    }

    /// <summary>The pool for printed text: all characters, sparse text segmentation (measured best for labelled fields).</summary>
    public static TesseractPool CreatePrintedZonePool(ModelCatalog catalog, PrintedZoneOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return CreatePool(catalog, options.TraineddataModel, new TesseractSetup("", options.Language, options.EngineMode,
            PageSegmentation.SparseText, RecognitionDeadline: options.RecognitionDeadline), options.PoolSize);
    }

    /// <summary>A pool over the folder of <paramref name="model"/>'s verified traineddata; size 0 means one instance per processor.</summary>
    private static TesseractPool CreatePool(ModelCatalog catalog, string model, TesseractSetup setup, int size)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var dataPath = Path.GetDirectoryName(catalog.VerifiedPath(model))!;
        return new TesseractPool(setup with { DataPath = dataPath }, size > 0 ? size : Environment.ProcessorCount);
    }
}
