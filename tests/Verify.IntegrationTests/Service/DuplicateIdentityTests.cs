using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Verify.Data.Access;
using Verify.Data.Entities;
using Verify.Documents.Reading;
using Verify.IntegrationTests.Fixtures;
using Verify.Pipeline.Duplicates;
using Verify.Synthetic;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// Duplicate identities end to end with the real models: one face or one document behind two subjects of a client goes
/// to review naming the other subject; a different face does not; another client learns nothing. Each test is its own
/// client (tenant), so what other tests verified never answers its searches.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(EmbeddedServiceCollection.Name)]
public sealed class DuplicateIdentityTests(EmbeddedService service)
{
    [Fact]
    public async Task A_second_subject_verified_with_the_same_face_goes_to_review_naming_the_first()
    {
        using var client = await NewClientAsync();
        var holder = service.CleanDocument;
        var first = await DecideAsync(client, EmbeddedService.Submission("first", holder.Document, CleanDocuments.HolderSelfie(holder)));
        Assert.Equal("verified", Status(first));

        // Another passport of the same person (another number and portrait photo); the selfie is the first one's photo
        // again, as their other LFW photos fail passive liveness.
        var second = HolderDocuments.Another(service, holder.Person, excluding: holder.Document);
        var body = await DecideAsync(client, EmbeddedService.Submission("second", second.Document, CleanDocuments.HolderSelfie(holder)));

        Assert.Equal("needs_review", Status(body));
        Assert.Equal(["duplicate_identity:face"], Reasons(body));
        var duplicate = body.GetProperty("result").GetProperty("duplicate");
        Assert.Equal("first", duplicate.GetProperty("face_subject_id").GetString());
        Assert.True(duplicate.GetProperty("face_score").GetDouble() >= duplicate.GetProperty("face_threshold").GetDouble());
        Assert.False(duplicate.TryGetProperty("document_subject_id", out _));
        await using var db = service.Database();
        Assert.False(await db.FaceTemplates.AnyAsync(t => t.SubjectId == "second" && t.VerificationId == body.GetProperty("id").GetGuid() && !t.HeldForReview));
    }

    [Fact]
    public async Task A_second_subject_with_the_same_document_goes_to_review_naming_the_first()
    {
        using var client = await NewClientAsync();
        var holder = service.CleanDocument;
        // No template for the first: the document alone must be enough.
        var first = await DecideAsync(client, EmbeddedService.Submission("doc-first", holder.Document, CleanDocuments.HolderSelfie(holder), templateStorage: false));
        Assert.Equal("verified", Status(first));

        var body = await DecideAsync(client, EmbeddedService.Submission("doc-second", holder.Document, CleanDocuments.HolderSelfie(holder)));

        Assert.Equal("needs_review", Status(body));
        Assert.Equal(["duplicate_identity:document"], Reasons(body));
        Assert.Equal("doc-first", body.GetProperty("result").GetProperty("duplicate").GetProperty("document_subject_id").GetString());
    }

    [Fact]
    public async Task A_different_face_and_document_stay_verified()
    {
        using var client = await NewClientAsync();
        var holder = service.CleanDocument;
        Assert.Equal("verified", Status(await DecideAsync(client, EmbeddedService.Submission("someone", holder.Document, CleanDocuments.HolderSelfie(holder)))));

        var stranger = HolderDocuments.OfAnotherPerson(service, holder.Person);
        var body = await DecideAsync(client, EmbeddedService.Submission("someone-else", stranger.Document, CleanDocuments.HolderSelfie(stranger)));

        Assert.Equal("verified", Status(body));
        Assert.False(body.GetProperty("result").TryGetProperty("duplicate", out _));
    }

    [Fact]
    public async Task Another_client_verifying_the_same_face_and_document_learns_nothing_of_the_first()
    {
        using var first = await NewClientAsync();
        using var second = await NewClientAsync();
        var holder = service.CleanDocument;
        Assert.Equal("verified", Status(await DecideAsync(first, EmbeddedService.Submission("shared-person", holder.Document, CleanDocuments.HolderSelfie(holder)))));

        var body = await DecideAsync(second, EmbeddedService.Submission("their-subject", holder.Document, CleanDocuments.HolderSelfie(holder)));

        Assert.Equal("verified", Status(body));
        Assert.Empty(Reasons(body));
    }

    [Fact]
    public async Task Once_the_first_subjects_biometrics_are_deleted_the_same_face_is_no_duplicate()
    {
        using var client = await NewClientAsync();
        var holder = service.CleanDocument;
        var first = await DecideAsync(client, EmbeddedService.Submission("erased-first", holder.Document, CleanDocuments.HolderSelfie(holder)));
        Assert.Equal("verified", Status(first));
        var index = service.Services.GetRequiredService<TemplateIndex>();
        HashSet<Guid> templates;
        await using (var db = service.Database())
        {
            var verification = first.GetProperty("id").GetGuid();
            templates = [.. await db.FaceTemplates.Where(t => t.VerificationId == verification).Select(t => t.Id).ToListAsync()];
        }

        Assert.NotEmpty(templates);
        Assert.Subset(index.TemplateIds(), templates);

        using (var response = await client.DeleteAsync("/v1/subjects/erased-first/biometrics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // BadgeRevoked reaches this process's index consumer, which reloads the subject: nothing of it is left.
        await Eventually.TrueAsync(() => !index.TemplateIds().Overlaps(templates), "the erased templates to leave the index");
        var second = HolderDocuments.Another(service, holder.Person, excluding: holder.Document);
        var body = await DecideAsync(client, EmbeddedService.Submission("after-erasure", second.Document, CleanDocuments.HolderSelfie(holder)));
        Assert.Equal("verified", Status(body));
    }

    [Fact]
    public async Task Two_concurrent_submissions_of_one_document_for_two_subjects_are_not_both_verified()
    {
        using var client = await NewClientAsync();
        var holder = service.CleanDocument;
        var selfie = CleanDocuments.HolderSelfie(holder);
        // Without template consent, so that only the document links them; the worker runs two verifications at once.
        var ids = await Task.WhenAll(
            SubmitAsync(client, EmbeddedService.Submission("racer-1", holder.Document, selfie, templateStorage: false)),
            SubmitAsync(client, EmbeddedService.Submission("racer-2", holder.Document, selfie, templateStorage: false)));
        var bodies = await Task.WhenAll(ids.Select(id => service.WaitForDecisionAsync(client, id)));

        Assert.Equal(["needs_review", "verified"], bodies.Select(Status).Order());
        Assert.Equal(["duplicate_identity:document"], Reasons(bodies.Single(b => Status(b) == "needs_review")));
        await using var db = service.Database();
        Assert.Equal(1, await db.DocumentFingerprints.CountAsync(f => ids.Contains(f.VerificationId)));
    }

    private async Task<HttpClient> NewClientAsync()
    {
        string name = $"dup-{Guid.NewGuid():N}"[..24];
        await using (var db = service.Database())
        {
            service.Keys[name] = (await service.Services.GetRequiredService<ApiKeyIssuer>().CreateAsync(db, name, ApiRole.Client)).Text;
        }

        return service.Client(name);
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, HttpContent form)
    {
        using var response = await client.PostAsync("/v1/verifications", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> DecideAsync(HttpClient client, HttpContent form) =>
        await service.WaitForDecisionAsync(client, await SubmitAsync(client, form));

    private static string Status(JsonElement body) => body.GetProperty("status").GetString()!;

    private static string[] Reasons(JsonElement body) => [.. body.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!)];
}

/// <summary>Generated passport pages, read without findings, of a chosen LFW person or of anyone else.</summary>
internal static class HolderDocuments
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (byte[] Document, string Person, string PortraitPhoto)> Found = new(StringComparer.Ordinal);

    /// <summary>Another clean passport of <paramref name="person"/> than <paramref name="excluding"/> (another number, a portrait of theirs).</summary>
    public static (byte[] Document, string Person, string PortraitPhoto) Another(EmbeddedService service, string person, byte[] excluding) =>
        Cached($"of:{person}", () =>
        {
            // A faces folder holding only that person (a link to their folder in place): every page generated shows them.
            string faces = Directory.CreateTempSubdirectory("verify-one-person-").FullName;
            try
            {
                Directory.CreateSymbolicLink(Path.Combine(faces, person), Path.Combine(TestPaths.LfwImages, person));
                return FirstClean(service, faces, seed: 73, document => !document.AsSpan().SequenceEqual(excluding));
            }
            finally
            {
                Directory.Delete(faces, recursive: true);
            }
        });

    /// <summary>A clean passport of someone other than <paramref name="person"/>.</summary>
    public static (byte[] Document, string Person, string PortraitPhoto) OfAnotherPerson(EmbeddedService service, string person) =>
        Cached($"not:{person}", () => FirstClean(service, TestPaths.LfwImages, seed: 79, accept: null, excludedPerson: person));

    private static (byte[] Document, string Person, string PortraitPhoto) Cached(string key, Func<(byte[], string, string)> find)
    {
        lock (Gate)
        {
            if (!Found.TryGetValue(key, out var found))
            {
                Found[key] = found = find();
            }

            return found;
        }
    }

    private static (byte[] Document, string Person, string PortraitPhoto) FirstClean(EmbeddedService service, string faces, int seed,
        Func<byte[], bool>? accept, string? excludedPerson = null)
    {
        var reader = service.Services.GetRequiredService<DocumentReader>();
        using var generator = new SyntheticDocumentGenerator(new SyntheticGeneratorOptions
        {
            FacesFolder = faces, Kind = SyntheticDocumentKind.Td3, Capture = CaptureEffects.Preset("none")!, Seed = seed,
        });
        for (int index = 0; index < 20; index++)
        {
            var document = generator.Generate(index);
            var bytes = document.Files[0].Jpeg;
            if (document.GroundTruth.Face.Person == excludedPerson || accept?.Invoke(bytes) == false)
            {
                continue;
            }

            if (CleanDocuments.IsClean(reader, bytes))
            {
                return (bytes, document.GroundTruth.Face.Person, document.GroundTruth.Face.File);
            }
        }

        throw new InvalidOperationException("None of 20 generated passport pages read without findings.");
    }
}
