using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Verify.Documents.Reading;
using Verify.Inference.Hosting;
using Verify.Inference.OnnxRuntime;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Verification;

namespace Verify.IntegrationTests.Service;

/// <summary>The API host in distributed mode is thin: it dispatches to the workers and holds no model of its own.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
[Collection(DistributedServiceCollection.Name)]
public sealed class DistributedApiTests(DistributedService service)
{
    [Fact]
    public void A_distributed_mode_api_registers_no_onnx_session_no_tesseract_engine_and_no_warm_up()
    {
        var services = service.Services;

        Assert.Null(services.GetService<OnnxSessionFactory>());
        Assert.Null(services.GetService<ModelReadiness>());
        Assert.Empty(services.GetServices<IModelWarmUp>());
        Assert.DoesNotContain(services.GetServices<IHostedService>(), hosted => hosted is ModelWarmupService);
        Assert.Null(services.GetService<MrzReader>());
        Assert.Null(services.GetService<DocumentReader>());
        Assert.Null(services.GetService<VerificationProcessor>());
    }

    [Fact]
    public async Task A_distributed_mode_api_is_ready_on_its_database_broker_and_blob_store_not_on_models()
    {
        using var client = service.Client();
        // A probe, polled as an orchestrator would: one answer may meet the test S3 server mid-way through a sweep.
        HttpStatusCode status;
        JsonElement body;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(200))
        {
            using var response = await client.GetAsync("/health/ready");
            (status, body) = (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
            if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                break;
            }
        }

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var checks = body.GetProperty("checks").EnumerateArray().Select(check => check.GetProperty("name").GetString()).ToList();
        Assert.Contains("database", checks);
        Assert.Contains("blob-store", checks);
        Assert.Contains(checks, name => name!.StartsWith("masstransit", StringComparison.Ordinal));
        Assert.DoesNotContain(ModelReadinessHealthCheck.Name, checks);
    }
}
