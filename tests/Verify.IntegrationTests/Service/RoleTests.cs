using System.Net;
using System.Net.Http.Headers;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>Every endpoint, for each role: no key, a wrong key, client, another client, reviewer, admin.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class RoleTests(EmbeddedService service)
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("client", HttpStatusCode.UnprocessableEntity)]
    [InlineData("reviewer", HttpStatusCode.Forbidden)]
    [InlineData("admin", HttpStatusCode.UnprocessableEntity)]
    public async Task Submitting_is_for_clients_and_admins(string? role, HttpStatusCode expected)
    {
        using var client = Client(role);
        // A submission without consent: a caller allowed to submit gets as far as the consent check, which stores nothing.
        using var form = new MultipartFormDataContent { { new StringContent("role-test"), "subject_id" } };
        using var response = await client.PostAsync("/v1/verifications", form);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("client", HttpStatusCode.OK)]
    [InlineData("other", HttpStatusCode.NotFound)]
    [InlineData("reviewer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task Reading_a_verification_is_for_its_client_reviewers_and_admins(string? role, HttpStatusCode expected)
    {
        using var owner = service.Client("client");
        using var submission = new HttpRequestMessage(HttpMethod.Post, "/v1/verifications")
        {
            Content = EmbeddedService.Submission("holder-1", service.CleanDocument.Document, service.CleanDocument.Document, templateStorage: false),
        };
        submission.Headers.Add("Idempotency-Key", "role-tests");
        using var accepted = await owner.SendAsync(submission);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string location = accepted.Headers.Location!.OriginalString;

        using var client = Client(role);
        using var response = await client.GetAsync(location);
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("client", HttpStatusCode.Forbidden)]
    [InlineData("other", HttpStatusCode.Forbidden)]
    [InlineData("reviewer", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    public async Task The_review_queue_is_for_reviewers_and_admins(string? role, HttpStatusCode expected)
    {
        using var client = Client(role);
        using var response = await client.GetAsync("/v1/reviews");
        Assert.Equal(expected, response.StatusCode);
    }

    private HttpClient Client(string? role)
    {
        if (role != "wrong")
        {
            return service.Client(role);
        }

        var client = service.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "vk_0000000000000000_not-a-real-secret");
        return client;
    }
}
