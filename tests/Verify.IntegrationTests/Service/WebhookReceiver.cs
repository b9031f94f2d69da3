using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Verify.IntegrationTests.Service;

/// <summary>A platform's webhook endpoint on 127.0.0.1: records every request, and refuses the very first one with 503 to exercise retries.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _requests;

    public WebhookReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/verify");

    public ConcurrentQueue<(string EventId, string EventType, string Signature, string Body)> Received { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

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

            context.Response.Close();
        }
    }
}
