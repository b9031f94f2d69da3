using Verify.Inference.Hosting;

namespace Verify.UnitTests.Models;

public sealed class ModelReadinessTests
{
    [Fact]
    public void Loaded_models_make_the_process_ready()
    {
        var readiness = new ModelReadiness();

        readiness.MarkReady(5, ["fr-feature@1"]);

        Assert.Equal(ReadinessStatus.Ready, readiness.Status);
    }

    [Fact]
    public void A_failed_component_keeps_the_process_not_ready_whichever_finishes_first()
    {
        var early = new ModelReadiness();
        early.MarkComponentFailed("OCR (Tesseract) is unavailable");
        early.MarkReady(5, ["fr-feature@1"]);

        var late = new ModelReadiness();
        late.MarkReady(5, ["fr-feature@1"]);
        late.MarkComponentFailed("OCR (Tesseract) is unavailable");

        Assert.All(new[] { early, late }, readiness =>
        {
            Assert.Equal(ReadinessStatus.Failed, readiness.Status);
            Assert.Contains("Tesseract", readiness.Description, StringComparison.Ordinal);
        });
    }
}
