using System.Net;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>An HTTP listener on 127.0.0.1 at a free port that answers every request with a handler, until disposed.</summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _handle;
    private readonly Task _loop;

    /// <param name="handle">Answers one request; the server closes the response after it.</param>
    public LocalHttpServer(Func<HttpListenerContext, Task> handle)
    {
        _handle = handle;
        Port = LoopbackPorts.Free();

        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

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

            try
            {
                await _handle(context);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }
}
