using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Verify.Contracts;
using Verify.Data.Protection;
using Verify.Pipeline.Messaging;

namespace Verify.UnitTests.Messaging;

/// <summary>The bus signature: valid only for the same type, id and payload under the same key; a configured key replaces the derived one.</summary>
public sealed class MessageSignerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 1, 0, 0, TimeSpan.Zero);
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();

    [Fact]
    public void A_signature_holds_for_its_own_message_only()
    {
        var signer = Signer(fingerprintKey: 7);
        var badge = new IdentityVerified(Guid.NewGuid(), "client-a", "user-42", "document_and_face", At, At.AddYears(1));
        var id = Guid.NewGuid();
        string signature = signer.Sign(typeof(IdentityVerified), id, badge);

        Assert.True(signer.IsValid(typeof(IdentityVerified), id, badge with { }, signature));
        Assert.False(signer.IsValid(typeof(IdentityVerified), Guid.NewGuid(), badge, signature));
        Assert.False(signer.IsValid(typeof(IdentityVerified), id, badge with { ClientId = "client-b" }, signature));
        Assert.False(signer.IsValid(typeof(IdentityVerified), id, badge, null));
        Assert.False(signer.IsValid(typeof(IdentityVerified), null, badge, signature));
        Assert.False(signer.IsValid(typeof(IdentityVerified), id, badge, "not base64!"));
        Assert.False(Signer(fingerprintKey: 8).IsValid(typeof(IdentityVerified), id, badge, signature));
        var revoked = new BadgeRevoked("client-a", "user-42", "consent_withdrawn", At);
        Assert.False(signer.IsValid(typeof(BadgeRevoked), id, revoked, signature));
    }

    [Fact]
    public void A_configured_key_replaces_the_derived_one_and_a_short_one_is_refused()
    {
        var command = new VerifyIdentity(Guid.NewGuid());
        var id = Guid.NewGuid();
        string configured = Convert.ToBase64String(new byte[32]);

        Assert.NotEqual(Signer(7).Sign(typeof(VerifyIdentity), id, command), Signer(7, configured).Sign(typeof(VerifyIdentity), id, command));
        Assert.Equal(Signer(7, configured).Sign(typeof(VerifyIdentity), id, command), Signer(8, configured).Sign(typeof(VerifyIdentity), id, command));
        Assert.True(MessageSigner.IsValidKey(null));
        Assert.False(MessageSigner.IsValidKey(Convert.ToBase64String(new byte[31])));
        Assert.False(MessageSigner.IsValidKey("not base64!"));
    }

    public void Dispose() => _meters.Dispose();

    private MessageSigner Signer(byte fingerprintKey, string? signingKey = null) => new(
        Options.Create(new MessagingOptions { SigningKey = signingKey }),
        ProtectionKeyRing.Create(new ProtectionOptions
        {
            Keys = { ["k1"] = Convert.ToBase64String(new byte[32]) },
            FingerprintKey = Convert.ToBase64String(Enumerable.Repeat(fingerprintKey, 32).ToArray()),
        }),
        _meters.GetRequiredService<IMeterFactory>());
}
