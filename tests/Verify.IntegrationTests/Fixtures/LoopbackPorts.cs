using System.Net;
using System.Net.Sockets;

namespace Verify.IntegrationTests.Fixtures;

/// <summary>Ports on 127.0.0.1 for servers a test starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A port free at this moment: the system's pick for a listener that is closed at once.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
