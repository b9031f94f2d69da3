using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Verify.Imaging;
using Verify.Inference.Faces;
using Verify.Inference.Models;

namespace Verify.Inference.Hosting;

/// <summary>
/// At start-up, in the background (so liveness answers at once): verifies every model file against its
/// manifest (an optional model only when its file is there), opens the sessions the configured pipeline uses
/// (detector, matcher, and every <see cref="IModelWarmUp"/> registered, such as the liveness ensemble), checks the
/// matcher has a threshold for the configured false accept rate, runs each model once, and then marks the process ready. A missing or
/// mismatched model, or a broken manifest, leaves it live but not ready, with the reason in the readiness probe.
/// </summary>
/// <remarks>The models are resolved here rather than injected, so that a missing one is a readiness failure, not a start-up crash.</remarks>
public sealed partial class ModelWarmupService(
    IServiceProvider services,
    IOptions<FaceMatchingOptions> matching,
    ModelReadiness readiness,
    ILogger<ModelWarmupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var started = Stopwatch.GetTimestamp();
        try
        {
            var catalog = services.GetRequiredService<ModelCatalog>();
            int verified = 0;
            foreach (var manifest in catalog.Manifests)
            {
                stoppingToken.ThrowIfCancellationRequested();
                // An optional model (no public source, fetched only when asked for) may be absent; one that is there
                // is verified all the same, and one the configuration uses is verified when its session opens below.
                if (manifest.Optional && !File.Exists(Path.Combine(catalog.ModelDirectory, manifest.File)))
                {
                    continue;
                }

                catalog.VerifiedPath(manifest.Id);
                verified++;
            }

            var detector = services.GetRequiredService<IFaceDetector>();
            var matcher = services.GetRequiredService<FaceMatcher>();

            // A matcher without a threshold for the configured false accept rate cannot decide anything.
            matcher.ThresholdAt(matching.Value.FalseAcceptRate);
            WarmUp(detector, matcher, stoppingToken);
            var versions = new[] { detector.ModelVersion }.Concat(matcher.Embedders.Select(e => e.ModelVersion)).ToList();
            foreach (var extra in services.GetServices<IModelWarmUp>())
            {
                stoppingToken.ThrowIfCancellationRequested();
                versions.AddRange(extra.WarmUp(stoppingToken));
            }

            readiness.MarkReady(verified, versions);
            LogReady(versions.Count, matcher.Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (ModelUnavailableException exception)
        {
            // The probe gets the summary; paths and checksums go to the log only.
            readiness.MarkFailed(exception.Summary);
            LogNotReady(exception.ModelId, exception.Message);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A broken manifest or model folder: still a readiness failure with its reason, never a crash loop.
            readiness.MarkFailed("The model catalog could not be read; see the service log.");
            LogNotReady("(catalog)", exception.Message);
        }
    }

    /// <summary>
    /// One inference per model, and one per batch size where faces are batched, so that the first request does
    /// not pay for lazy initialisation.
    /// </summary>
    /// <remarks>Stops between models when the host shuts down, so that no session is disposed mid-run.</remarks>
    private static void WarmUp(IFaceDetector faceDetector, FaceMatcher faceMatcher, CancellationToken stoppingToken)
    {
        using (var blank = RgbImage.Allocate(640, 480))
        {
            blank.Pixels.Fill(128);
            faceDetector.Detect(blank);
        }

        foreach (var embedder in faceMatcher.Embedders)
        {
            stoppingToken.ThrowIfCancellationRequested();
            using var crop = RgbImage.Allocate(embedder.Template.Size, embedder.Template.Size);
            crop.Pixels.Fill(128);
            embedder.Embed(crop);
            if (embedder is FaceEmbeddingBatcher batcher)
            {
                batcher.WarmUp(crop, stoppingToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: {Count} models verified and warmed up (matcher {Matcher}) in {ElapsedMs:0} ms")]
    private partial void LogReady(int count, string matcher, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not ready: model {ModelId} is unavailable. {Reason}")]
    private partial void LogNotReady(string modelId, string reason);
}
