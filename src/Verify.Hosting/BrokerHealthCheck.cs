using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Verify.Hosting;

/// <summary>
/// Ready when the RabbitMQ broker accepts an AMQP connection with the configured credentials (and TLS, as the bus). MassTransit's own bus
/// check does not cover this for the API: its only endpoint (the bus's temporary queue) is started lazily, so it reports
/// "ready (not started)" with the broker down, and the outbox would pile up behind a probe that says ready.
/// </summary>
internal sealed class BrokerHealthCheck(IOptions<BusTransportOptions> options) : IHealthCheck
{
    public const string Name = "broker";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    // Built once: the settings do not change while the process runs, and a private CA is read from disk only here.
    private readonly Lazy<ConnectionFactory> _factory = new(() => Factory(options.Value));

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await _factory.Value.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            await connection.CloseAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The broker accepts connections.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The exception's type only: its message names the host and the user.
            return HealthCheckResult.Unhealthy("The broker does not accept connections.", exception,
                new Dictionary<string, object> { ["error"] = exception.GetType().Name });
        }
    }

    private static ConnectionFactory Factory(BusTransportOptions settings) => new()
    {
        HostName = settings.RabbitMqHost,
        Port = settings.RabbitMqPort,
        VirtualHost = settings.RabbitMqVirtualHost,
        UserName = settings.RabbitMqUsername,
        Password = settings.RabbitMqPassword,
        RequestedConnectionTimeout = ConnectTimeout,
        AutomaticRecoveryEnabled = false,
        ClientProvidedName = "verify-readiness",
        Ssl = BrokerTls.ClientOption(settings),
    };
}
