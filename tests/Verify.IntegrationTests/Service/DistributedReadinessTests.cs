using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// Readiness follows the servers the API depends on: an API whose broker or database stops answering says so on
/// <c>/health/ready</c> (an orchestrator stops sending it traffic) and is ready again once they are back.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Distributed)]
[Collection(DistributedServiceCollection.Name)]
public sealed class DistributedReadinessTests(DistributedService service)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Readiness_fails_while_the_broker_or_the_database_is_cut_off_and_recovers_when_it_is_back()
    {
        await using var broker = new TcpRelay(service.BrokerPort);
        await using var database = new TcpRelay(service.DatabasePort);
        await using var api = service.ApiFactory(new Dictionary<string, string>
        {
            ["Messaging:RabbitMqPort"] = broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Storage:ConnectionString"] = service.ConnectionStringWithPort(database.Port),
        });
        using var client = api.CreateClient();
        await ProbeUntilAsync(client, HttpStatusCode.OK);

        broker.Cut();
        var down = await ProbeUntilAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("broker", Unhealthy(down));
        broker.Restore();
        await ProbeUntilAsync(client, HttpStatusCode.OK);

        database.Cut();
        down = await ProbeUntilAsync(client, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("database", Unhealthy(down));
        database.Restore();
        await ProbeUntilAsync(client, HttpStatusCode.OK);
    }

    private static List<string> Unhealthy(JsonElement report) =>
        [.. report.GetProperty("checks").EnumerateArray().Where(check => check.GetProperty("status").GetString() != "Healthy")
            .Select(check => check.GetProperty("name").GetString()!)];

    /// <summary>Polls the probe as an orchestrator would until it answers <paramref name="expected"/>; fails with the last answer otherwise.</summary>
    private static async Task<JsonElement> ProbeUntilAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            using var response = await client.GetAsync("/health/ready");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == expected)
            {
                return body;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health/ready never answered {expected}; last: {(int)response.StatusCode} {body}");
            await Task.Delay(250);
        }
    }
}
