using Verify.Inference.OnnxRuntime;
using Verify.Pipeline;
using Verify.Worker;

// --gpu selects the CUDA execution provider (falling back to the CPU with one warning when it is unavailable).
bool gpu = args.Contains("--gpu");
var builder = Host.CreateApplicationBuilder(args.Where(arg => arg != "--gpu").ToArray());
if (gpu)
{
    builder.Configuration[$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.ExecutionProvider)}"] = nameof(ExecutionProvider.Cuda);
}

builder.Services.AddVerifyPipeline();
builder.Services.AddHostedService<WorkerReadinessReporter>();
builder.Build().Run();
