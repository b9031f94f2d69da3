using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>The API's problem answers (docs/api.md#problems): the status, problem+json, the type; and Retry-After on every 429 and 503.</summary>
public static class ProblemAssert
{
    public static async Task IsAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        }

        Assert.Equal($"urn:verify:problem:{type}", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }
}
