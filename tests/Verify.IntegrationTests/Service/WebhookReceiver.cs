using System.Collections.Concurrent;
using System.Net;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Service;

/// <summary>A platform's webhook endpoint on 127.0.0.1: records every request, and refuses the very first one with 503 to exercise retries.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly LocalHttpServer _server;
    private int _requests;

    public WebhookReceiver() => _server = new LocalHttpServer(ReceiveAsync);

    public int Port => _server.Port;

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/verify");

    public ConcurrentQueue<(string EventId, string EventType, string Signature, string Body)> Received { get; } = new();

    public void Dispose() => _server.Dispose();

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        string body = await reader.ReadToEndAsync();
        if (Interlocked.Increment(ref _requests) == 1)
        {
            context.Response.StatusCode = 503;
        }
        else
        {
            Received.Enqueue((context.Request.Headers["Verify-Event-Id"] ?? "", context.Request.Headers["Verify-Event-Type"] ?? "",
                context.Request.Headers["Verify-Signature"] ?? "", body));
            context.Response.StatusCode = 204;
        }
    }
}
