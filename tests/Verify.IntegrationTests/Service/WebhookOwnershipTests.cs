using Microsoft.EntityFrameworkCore;
using Verify.Data.Entities;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>
/// A delivery keeps to the client it was queued for even when the configuration changes under it: a pending delivery
/// whose endpoint name now belongs to another client is failed, never sent there.
/// </summary>
[Trait(TestCategories.Name, TestCategories.Web)]
[Collection(TwoTenantServiceCollection.Name)]
public sealed class WebhookOwnershipTests(TwoTenantService service)
{
    [Fact]
    public async Task A_pending_delivery_is_never_sent_to_an_endpoint_name_now_held_by_another_client()
    {
        // As if "platform-hooks" had belonged to other-platform when this event was queued, and was since given to platform.
        var eventId = Guid.NewGuid();
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid(), EventId = eventId, Endpoint = "platform-hooks", EventType = "badge.revoked",
            Body = "{\"id\":\"" + eventId + "\",\"type\":\"badge.revoked\",\"data\":{\"client_id\":\"other-platform\",\"subject_id\":\"someone\",\"reason\":\"consent_withdrawn\"}}",
            State = WebhookDeliveryState.Pending, CreatedAt = DateTime.UtcNow, NextAttemptAt = DateTime.UtcNow,
        };
        await using (var db = service.Database())
        {
            db.WebhookDeliveries.Add(delivery);
            await db.SaveChangesAsync();
        }

        Assert.True(await service.EventuallyAsync(async db => await db.WebhookDeliveries.AnyAsync(d => d.Id == delivery.Id && d.State != WebhookDeliveryState.Pending)));

        await using (var db = service.Database())
        {
            var settled = await db.WebhookDeliveries.SingleAsync(d => d.Id == delivery.Id);
            Assert.Equal((WebhookDeliveryState.Failed, "endpoint_client_changed", 0), (settled.State, settled.LastError, settled.Attempts));
        }

        Assert.DoesNotContain(service.Webhooks.Received, received => received.EventId == eventId.ToString());
        // The row stands for a configuration this service never had: gone, so other tests see only real deliveries.
        await using (var db = service.Database())
        {
            await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteDeleteAsync();
        }
    }
}
