using Verify.Inference.OnnxRuntime;
using Verify.Hosting;
using Verify.Pipeline.Messaging;
using Verify.ServiceDefaults;
using Verify.Worker;

// --gpu selects the CUDA execution provider (falling back to the CPU with one warning when it is unavailable) and the
// GPU queue; without it the worker serves the CPU queue.
bool gpu = args.Contains("--gpu");
var builder = Host.CreateApplicationBuilder(args.Where(arg => arg != "--gpu").ToArray());
if (gpu)
{
    builder.Configuration[$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.ExecutionProvider)}"] = nameof(ExecutionProvider.Cuda);
    builder.Configuration[$"{MessagingOptions.SectionName}:{nameof(MessagingOptions.Queue)}"] = nameof(WorkerQueue.Gpu);
}

builder.AddServiceDefaults();
// Workers consume only: the API publishes the outbox, so a killed worker never leaves half-published events.
builder.Services.AddVerifyHost(builder.Configuration, BusRole.Consumer);
builder.Services.AddHostedService<WorkerReadinessReporter>();
builder.Build().Run();
