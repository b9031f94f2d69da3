using Microsoft.AspNetCore.Hosting;
using Verify.IntegrationTests.Service;

namespace Verify.IntegrationTests.Browser;

/// <summary>
/// The embedded service (<see cref="EmbeddedService"/>) on a real port on 127.0.0.1, for a browser to reach, where a
/// selfie of the document's holder becomes a real review case: capture-quality failures go to review instead of a
/// rejection, and the phone-camera face size gate (80 px) is back, which LFW's 39-79 px faces miss. The case then has
/// both faces of one person, scores that pass, and a reason a reviewer can approve.
/// </summary>
public sealed class LoopbackService() : EmbeddedService(onLoopback: true)
{
    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("DecisionPolicy:LowQuality", "Review");
        builder.UseSetting("Quality:MinFaceSizePixels", "80");
    }
}
