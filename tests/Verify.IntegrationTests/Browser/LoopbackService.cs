using Verify.IntegrationTests.Service;

namespace Verify.IntegrationTests.Browser;

/// <summary>The embedded service (<see cref="EmbeddedService"/>) on a real port on 127.0.0.1, for a browser to reach.</summary>
public sealed class LoopbackService() : EmbeddedService(onLoopback: true);
