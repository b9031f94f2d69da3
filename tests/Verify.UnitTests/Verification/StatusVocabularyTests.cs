using System.Text.Json;
using Verify.Contracts;
using Verify.Data.Entities;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Verification;

namespace Verify.UnitTests.Verification;

/// <summary>One word per state: the API, the events (as webhooks carry them), the audit and the telemetry say the same.</summary>
public sealed class StatusVocabularyTests
{
    [Theory]
    [InlineData(VerificationState.Verified, "verified")]
    [InlineData(VerificationState.Rejected, "rejected")]
    [InlineData(VerificationState.NeedsReview, "needs_review")]
    public void A_decision_has_one_word_in_the_api_the_events_the_webhooks_and_the_audit(VerificationState state, string word)
    {
        Assert.Equal(word, VerificationStateWords.Of(state));
        var completed = new VerificationCompleted(Guid.NewGuid(), "client-a", "subject-1", VerificationStatuses.ToContract(state), [],
            DateTimeOffset.UnixEpoch);
        using var webhook = JsonDocument.Parse(JsonSerializer.Serialize(completed, OutboxDispatcher.WebhookJson));
        Assert.Equal(word, webhook.RootElement.GetProperty("status").GetString());
        Assert.Equal(word, JsonNamingPolicy.SnakeCaseLower.ConvertName(VerificationStatuses.ToContract(state).ToString()));
        Assert.Equal($"verification.{word}", VerificationStatuses.DecisionAction(state));
    }

    [Theory]
    [InlineData(VerificationState.Queued, "queued")]
    [InlineData(VerificationState.Processing, "processing")]
    public void A_state_before_the_decision_has_the_api_word_and_is_never_published(VerificationState state, string word)
    {
        Assert.Equal(word, VerificationStateWords.Of(state));
        Assert.False(VerificationStatuses.IsFinal(state));
        Assert.Throws<ArgumentOutOfRangeException>(() => VerificationStatuses.ToContract(state));
    }

    [Fact]
    public void Every_state_and_every_event_status_has_its_word()
    {
        Assert.All(Enum.GetValues<VerificationState>(), state => Assert.NotEmpty(VerificationStateWords.Of(state)));
        Assert.Equal(Enum.GetValues<VerificationStatus>().Length, Enum.GetValues<VerificationState>().Count(VerificationStatuses.IsFinal));
    }
}
