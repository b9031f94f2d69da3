using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Verify.Api.Auth;

/// <summary>How many failed authentications one source address may cause before it is refused without a look-up.</summary>
public sealed class AuthenticationThrottleOptions
{
    public const string SectionName = "Authentication";

    /// <summary>Failed authentications (a malformed, unknown, wrong, revoked or expired key) per address per window before 429.</summary>
    [Range(1, 1_000_000)]
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>The window the failures are counted in (default one minute).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Counts failed authentications per source address, in memory: an address over its count is refused before any database
/// query, so guessing keys (or just sending junk ones) costs the service nothing and the guesser a 429 with Retry-After.
/// IPv6 addresses count per /64, the block one host is usually given. Per process: each API instance counts on its own.
/// </summary>
internal sealed class FailedAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public FailedAuthenticationThrottle(IOptions<AuthenticationThrottleOptions> options)
    {
        var settings = options.Value;
        // Idle windows are dropped by the limiter itself, so the table does not grow with every address ever seen.
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.FailuresPerAddress,
            Window = settings.FailureWindow,
            QueueLimit = 0,
        }));
    }

    /// <summary>The partition an address counts in: itself for IPv4, its /64 for IPv6, one shared partition when unknown.</summary>
    public static string SourceOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>How long <paramref name="source"/> must wait when it is over its count; null when it may try.</summary>
    public TimeSpan? RefusedFor(string source)
    {
        // Zero permits asks whether any are left without taking one.
        using var lease = _failures.AttemptAcquire(source, 0);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
    }

    /// <summary>Counts one failed authentication from <paramref name="source"/>.</summary>
    public void Failed(string source)
    {
        using var lease = _failures.AttemptAcquire(source);
    }

    public void Dispose() => _failures.Dispose();
}
