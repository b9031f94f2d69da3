using Verify.Api;
using Verify.Api.Health;
using Verify.Pipeline;

var builder = WebApplication.CreateBuilder(args);
builder.AddVerifyApiDefaults();
builder.Services.AddVerifyPipeline();

var app = builder.Build();
app.UseVerifyApiDefaults();
app.MapHealthEndpoints();
app.MapGet("/", () => TypedResults.Ok(new ServiceInfo("verify", "Identity verification API", "/health/live", "/health/ready")))
    .WithName("ServiceInfo");
app.Run();

/// <summary>What the API root answers: the service and where its probes are.</summary>
internal sealed record ServiceInfo(string Service, string Description, string Liveness, string Readiness);

/// <summary>The API entry point, visible to functional tests through WebApplicationFactory.</summary>
public partial class Program;
