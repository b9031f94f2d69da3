using Scalar.AspNetCore;
using Verify.Api;
using Verify.Api.Auth;
using Verify.Api.ImpersonationReports;
using Verify.Api.Liveness;
using Verify.Api.Reviews;
using Verify.Api.Subjects;
using Verify.Api.Uploads;
using Verify.Api.Verifications;
using Verify.Api.Webhooks;
using Verify.Hosting;
using Verify.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddVerifyApiDefaults();
// In distributed mode (RabbitMQ) the API only dispatches: it loads no model, and its readiness is storage and broker.
builder.Services.AddVerifyHost(builder.Configuration, HostCompositionExtensions.ApiRole(builder.Configuration));
builder.Services.AddApiKeyAuthentication();
builder.Services.AddApiRateLimits();
builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<ClientUsageCounter>();
builder.Services.AddSingleton<ImageUploadReader>();
builder.Services.AddSingleton<SubmissionReader>();
builder.Services.AddSingleton<ChipUploadReader>();
builder.Services.AddSingleton<ReportReader>();
builder.Services.AddOpenApi();
// Without the default resilience handler: each attempt is one row of the delivery log, under the dispatcher's own
// timeout and retry schedule. RemoveAllResilienceHandlers is marked experimental; it is the only way to opt out.
#pragma warning disable EXTEXP0001
builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
builder.Services.AddHostedService<WebhookDispatcher>();
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);

var app = builder.Build();
app.UseVerifyApiDefaults();
app.UseReviewConsole();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
// Anonymous on purpose: the OpenAPI document describes the endpoints, never data, and a platform developer reads it
// before holding a key. Every other endpoint needs one (the fallback policy in AddApiKeyAuthentication).
app.MapOpenApi().AllowAnonymous();
if (app.Environment.IsDevelopment())
{
    // The API reference page (its script is served from the package, no CDN). Like /openapi/v1.json it shows the
    // endpoints, never data, so it needs no key; it exists only in Development, for the developer integrating.
    app.MapScalarApiReference().AllowAnonymous();
}

// Anonymous on purpose: the orchestrator's probes hold no key, and they answer up/ready and model names only.
app.MapGroup("").AllowAnonymous().MapHealthEndpoints();
app.MapVerificationsApi();
app.MapSubjectsApi();
app.MapReviewsApi();
app.MapImpersonationReportsApi();
app.MapLivenessChallengesApi();
app.MapGet("/", () => TypedResults.Ok(new ServiceInfo("verify", "Identity verification API", "/health/live", "/health/ready", "/openapi/v1.json")))
    .WithName("ServiceInfo")
    // Anonymous on purpose: it names the service and where its probes and OpenAPI document are, nothing more.
    .AllowAnonymous();
app.Run();

/// <summary>What the API root answers: the service, where its probes are, and its OpenAPI document.</summary>
internal sealed record ServiceInfo(string Service, string Description, string Liveness, string Readiness, string OpenApi);

/// <summary>The API entry point, visible to functional tests through WebApplicationFactory.</summary>
public partial class Program;
