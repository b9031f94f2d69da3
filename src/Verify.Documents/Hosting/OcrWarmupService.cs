using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Verify.Documents.Ocr;
using Verify.Documents.Reading;
using Verify.Inference.Hosting;
using Verify.Inference.Models;

namespace Verify.Documents.Hosting;

/// <summary>
/// At start-up, in the background: creates the first Tesseract instance of each pool and reads a blank line, so
/// that a missing libtesseract or traineddata makes the process not ready (with the reason) instead of failing
/// the first document, and the first document does not pay for initialisation.
/// </summary>
public sealed partial class OcrWarmupService(
    IServiceProvider services,
    ModelReadiness readiness,
    ILogger<OcrWarmupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            services.GetRequiredService<MrzReader>().WarmUp();
            stoppingToken.ThrowIfCancellationRequested();
            services.GetRequiredService<PrintedZoneReader>().WarmUp();
            LogReady(TesseractEngine.LibraryVersion);
        }
        catch (ModelUnavailableException exception)
        {
            // A missing or corrupt traineddata is a model like any other: the model warm-up reports it with its own reason.
            LogNotReady(exception.Message);
        }
        catch (Exception exception) when (exception is OcrUnavailableException or DllNotFoundException)
        {
            readiness.MarkComponentFailed("OCR (Tesseract) is unavailable; see the service log.");
            LogNotReady(exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OCR ready: Tesseract {Version}")]
    private partial void LogReady(string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "OCR not ready: {Reason}")]
    private partial void LogNotReady(string reason);
}
