using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>Multi-frame selfies and liveness challenges, end to end with the real models, in embedded mode.</summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class LivenessServiceTests(EmbeddedService service)
{
    /// <summary>Three different photos of one person (the first in LFW with three): the frames of someone moving between shots.</summary>
    private static byte[][] OnePersonMoving() =>
        Directory.GetDirectories(TestPaths.LfwImages).Order(StringComparer.Ordinal)
            .Select(folder => Directory.GetFiles(folder, "*.jpg").Order(StringComparer.Ordinal).ToArray())
            .First(files => files.Length >= 3)
            .Take(3).Select(File.ReadAllBytes).ToArray();

    private MultipartFormDataContent Frames(string subjectId, IEnumerable<byte[]> frames, string? challenge = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(subjectId), "subject_id" },
            { new StringContent("true"), "biometric_processing" },
            { new StringContent("false"), "template_storage" },
            { new StringContent("2026-11"), "policy_version" },
        };
        form.Add(EmbeddedService.Image(service.CleanDocument.Document), "document_front", "front.jpg");
        int index = 0;
        foreach (var frame in frames)
        {
            form.Add(EmbeddedService.Image(frame), "selfie_frames", $"frame{index++}.jpg");
        }

        if (challenge is not null)
        {
            form.Add(new StringContent(challenge), "liveness_challenge");
        }

        return form;
    }

    private async Task<IReadOnlyList<string>> DecidedReasonsAsync(HttpClient client, MultipartFormDataContent form)
    {
        using var response = await client.PostAsync("/v1/verifications", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var body = await service.WaitForDecisionAsync(client, id);
        Assert.NotEqual("processing", body.GetProperty("status").GetString());
        return [.. body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
    }

    private static async Task<(string Nonce, string Instruction)> ChallengeAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/liveness-challenges", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        return (body.GetProperty("nonce").GetString()!, body.GetProperty("instruction").GetString()!);
    }


    [Fact]
    public async Task Identical_frames_are_rejected_as_static()
    {
        using var client = service.Client("client");
        var selfie = CleanDocuments.HolderSelfie(service.CleanDocument);

        var reasons = await DecidedReasonsAsync(client, Frames("frames-static", [selfie, selfie, selfie]));

        Assert.Contains("liveness_failed:static", reasons);
    }

    [Fact]
    public async Task Frames_of_two_different_people_are_rejected()
    {
        using var client = service.Client("client");
        var frames = new[] { CleanDocuments.HolderSelfie(service.CleanDocument), CleanDocuments.StrangerSelfie(service.CleanDocument) };

        var reasons = await DecidedReasonsAsync(client, Frames("frames-two-people", frames));

        Assert.Contains("liveness_failed:different_people", reasons);
    }

    [Fact]
    public async Task Frames_of_one_person_moving_pass_the_frame_checks()
    {
        using var client = service.Client("client");

        var reasons = await DecidedReasonsAsync(client, Frames("frames-moving", OnePersonMoving()));

        Assert.DoesNotContain("liveness_failed:static", reasons);
        Assert.DoesNotContain("liveness_failed:different_people", reasons);
    }

    [Fact]
    public async Task A_challenge_nonce_answers_one_submission_only()
    {
        using var client = service.Client("client");
        var (nonce, instruction) = await ChallengeAsync(client);
        Assert.Contains(instruction, new[] { "turn_left", "turn_right", "look_up" });

        var reasons = await DecidedReasonsAsync(client, Frames("challenge-once", OnePersonMoving(), nonce));
        await using (var db = service.Database())
        {
            Assert.NotNull((await db.LivenessChallenges.SingleAsync(c => c.Instruction == instruction && c.UsedAt != null && c.ClientId == "platform"
                && c.VerificationId != null)).UsedAt);
        }

        using var again = await client.PostAsync("/v1/verifications", Frames("challenge-once", OnePersonMoving(), nonce));
        await ProblemAssert.IsAsync(again, HttpStatusCode.Conflict, "challenge_used");
        // Photos of a press conference show no instructed turn, or only by chance: either way the challenge was judged.
        Assert.DoesNotContain("liveness_failed:static", reasons);
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_and_nothing_is_stored()
    {
        using var client = service.Client("client");
        var (nonce, _) = await ChallengeAsync(client);
        await using (var db = service.Database())
        {
            // Lapse it: the lifetime is minutes, and a test should not wait them out.
            byte[] hash = Verify.Pipeline.Liveness.LivenessChallenges.Hash(nonce);
            await db.LivenessChallenges.Where(c => c.NonceHash == hash)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)));
        }

        using var response = await client.PostAsync("/v1/verifications", Frames("challenge-expired", OnePersonMoving(), nonce));

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnprocessableEntity, "challenge_expired");
        await using var after = service.Database();
        Assert.False(await after.Verifications.AnyAsync(v => v.SubjectId == "challenge-expired"));
        Assert.False(await after.Blobs.AnyAsync(b => b.SubjectId == "challenge-expired"));
    }

    [Fact]
    public async Task A_challenge_is_refused_when_unknown_or_issued_to_another_client()
    {
        using var client = service.Client("client");
        using var other = service.Client("other");
        var (othersNonce, _) = await ChallengeAsync(other);

        using var foreign = await client.PostAsync("/v1/verifications", Frames("challenge-foreign", OnePersonMoving(), othersNonce));
        await ProblemAssert.IsAsync(foreign, HttpStatusCode.UnprocessableEntity, "challenge_unknown");
        using var unknown = await client.PostAsync("/v1/verifications", Frames("challenge-unknown", OnePersonMoving(), new string('A', 43)));
        await ProblemAssert.IsAsync(unknown, HttpStatusCode.UnprocessableEntity, "challenge_unknown");
        using var malformed = await client.PostAsync("/v1/verifications", Frames("challenge-malformed", OnePersonMoving(), "not-a-nonce"));
        await ProblemAssert.IsAsync(malformed, HttpStatusCode.BadRequest, "invalid_field");

        // The other client's challenge is still unused: refusing it did not spend it.
        using var own = await other.PostAsync("/v1/verifications", Frames("challenge-owner", OnePersonMoving(), othersNonce));
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
    }

    [Fact]
    public async Task A_challenge_needs_several_frames()
    {
        using var client = service.Client("client");
        var (nonce, _) = await ChallengeAsync(client);

        using var response = await client.PostAsync("/v1/verifications", Frames("challenge-one-frame", [CleanDocuments.HolderSelfie(service.CleanDocument)], nonce));

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid_field");
    }
}
