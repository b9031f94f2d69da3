namespace Verify.IntegrationTests.Fixtures;

/// <summary>Waits for something the service does in the background (an event, a span, a delivery).</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms and fails the test after 30 s.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }

    /// <summary>Polls the asynchronous <paramref name="condition"/> every 100 ms and fails the test after 30 s.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
