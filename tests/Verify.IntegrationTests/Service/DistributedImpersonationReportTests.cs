using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>Impersonation reports in distributed mode: the model-free API sends the command over RabbitMQ to a worker process's own report queue.</summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
[Collection(DistributedServiceCollection.Name)]
public sealed class DistributedImpersonationReportTests(DistributedService service)
{
    [Fact]
    public async Task A_report_is_assessed_by_a_worker_process_against_the_template_its_verification_kept()
    {
        var worker = service.StartWorker();
        try
        {
            var clean = CleanDocuments.First(service.Reader);
            // A tenant of its own: under the shared client, the same person verified by another test as another subject
            // would (rightly) make this verification a duplicate identity.
            using var client = await service.NewClientAsync("impersonation-tenant");
            using var submitted = await client.PostAsync("/v1/verifications",
                EmbeddedService.Submission("dist-claimed", clean.Document, CleanDocuments.HolderSelfie(clean)));
            var verification = (await submitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            Assert.Equal(VerificationState.Verified, await service.WaitForStateAsync(verification, state => state != VerificationState.Queued
                && state != VerificationState.Processing, TimeSpan.FromMinutes(2)));

            using var form = new MultipartFormDataContent
            {
                { new StringContent("dist-impostor"), "reported_account_id" },
                { new StringContent("dist-claimed"), "claimed_subject_id" },
                { EmbeddedService.Image(CleanDocuments.OtherHolderPhotos(clean)[0]), "images", "photo.jpg" },
            };
            using var filed = await client.PostAsync("/v1/impersonation-reports", form);
            Assert.Equal(HttpStatusCode.Accepted, filed.StatusCode);
            var report = await EmbeddedService.WaitWhileQueuedAsync(client, filed.Headers.Location!.OriginalString);

            Assert.True(report.GetProperty("status").GetString() == "completed", service.WorkerLogs());
            Assert.Equal("likely_same_person", report.GetProperty("suggestion").GetString());
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }
}
