using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Verify.Inference.OnnxRuntime;
using Verify.Hosting;
using Verify.Pipeline.Messaging;
using Verify.ServiceDefaults;
using Verify.Worker;

// --gpu selects the CUDA execution provider (falling back to the CPU with one warning when it is unavailable) and the
// GPU queue; without it the worker serves the CPU queue.
bool gpu = args.Contains("--gpu");
var builder = WebApplication.CreateSlimBuilder(args.Where(arg => arg != "--gpu").ToArray());
if (gpu)
{
    builder.Configuration[$"{InferenceOptions.SectionName}:{nameof(InferenceOptions.ExecutionProvider)}"] = nameof(ExecutionProvider.Cuda);
    builder.Configuration[$"{MessagingOptions.SectionName}:{nameof(MessagingOptions.Queue)}"] = nameof(WorkerQueue.Gpu);
}

// The worker serves only /health/live and /health/ready, for an orchestrator's probes, on the addresses Urls names
// (the images set http://+:8080). Without them it takes a free loopback port, so several workers on one machine
// (scripts/run-distributed.sh, the distributed tests) never contend for one.
if (string.IsNullOrWhiteSpace(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

builder.AddServiceDefaults();
// Workers consume only: the API publishes the outbox, so a killed worker never leaves half-published events.
builder.Services.AddVerifyHost(builder.Configuration, BusRole.Consumer);
builder.Services.AddHostedService<WorkerReadinessReporter>();
var app = builder.Build();
app.MapHealthEndpoints();
app.Run();
