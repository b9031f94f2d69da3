using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>The API's problem answers (docs/api.md#problems): the status, problem+json, the type; and Retry-After on every 429 and 503.</summary>
public static class ProblemAssert
{
    /// <summary>Checks the answer (the type too, unless <paramref name="type"/> is null) and returns its body.</summary>
    public static async Task<JsonElement> IsAsync(HttpResponseMessage response, HttpStatusCode status, string? type)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
        {
            Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        }

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (type is not null)
        {
            Assert.Equal($"urn:verify:problem:{type}", body.GetProperty("type").GetString());
        }

        return body;
    }
}
