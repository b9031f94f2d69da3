using System.ComponentModel.DataAnnotations;
using Verify.Pipeline.Messaging;
using Verify.Storage;

namespace Verify.Hosting;

/// <summary>The message transports Verify runs on.</summary>
public enum MessageTransport
{
    /// <summary>In the process (embedded mode): the API runs the consumers itself.</summary>
    InMemory,

    /// <summary>RabbitMQ (distributed mode): workers consume from their queue in other processes.</summary>
    RabbitMq,
}

/// <summary>The bus transport and its broker: the same <c>Messaging</c> section as <see cref="MessagingOptions"/>, read by the host.</summary>
public sealed class BusTransportOptions
{
    public const string SectionName = MessagingOptions.SectionName;

    /// <summary>One of <see cref="MessageTransport"/>'s names; anything else stops start-up with the list of valid ones.</summary>
    public string Transport { get; set; } = nameof(MessageTransport.InMemory);

    public string RabbitMqHost { get; set; } = "127.0.0.1";

    [Range(1, 65535)]
    public int RabbitMqPort { get; set; } = 5672;

    public string RabbitMqVirtualHost { get; set; } = "/";

    /// <summary>The broker account. RabbitMQ's default guest/guest is refused for any broker not on loopback.</summary>
    public string RabbitMqUsername { get; set; } = "guest";

    public string RabbitMqPassword { get; set; } = "guest";

    /// <summary>Speak AMQP over TLS (usually port 5671): the broker's certificate is checked, and credentials and messages are encrypted.</summary>
    public bool RabbitMqUseTls { get; set; }

    /// <summary>The name the broker's certificate must carry; the host name when empty.</summary>
    public string? RabbitMqTlsServerName { get; set; }

    /// <summary>A CA certificate (PEM or DER) that the broker's certificate must chain to, for a private CA; the system's trust store when empty.</summary>
    public string? RabbitMqTlsCaCertificatePath { get; set; }

    /// <summary>A client certificate (PKCS#12) presented to the broker, for brokers that require one; none when empty.</summary>
    public string? RabbitMqTlsClientCertificatePath { get; set; }

    /// <summary>The passphrase of <see cref="RabbitMqTlsClientCertificatePath"/>.</summary>
    public string? RabbitMqTlsClientCertificatePassphrase { get; set; }

    /// <summary>
    /// False when the broker is RabbitMQ on another machine with the default guest/guest account: a well-known password
    /// anyone on the network could use to publish or read the queues. Loopback (a broker on this machine) is allowed.
    /// </summary>
    internal bool HasAcceptableCredentials =>
        ParsedTransportOrNull != MessageTransport.RabbitMq
        || !(string.Equals(RabbitMqUsername, "guest", StringComparison.Ordinal) && string.Equals(RabbitMqPassword, "guest", StringComparison.Ordinal))
        || IsLoopback(RabbitMqHost);

    internal const string GuestRefused =
        "Messaging: RabbitMQ's guest/guest account is only accepted for a broker on loopback; set Messaging:RabbitMqUsername and Messaging:RabbitMqPassword to an account of the service's own.";

    private MessageTransport? ParsedTransportOrNull => ConfiguredEnum.TryParse<MessageTransport>(Transport, out var transport) ? transport : null;

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (System.Net.IPAddress.TryParse(host, out var address) && System.Net.IPAddress.IsLoopback(address));

    internal MessageTransport ParsedTransport =>
        ConfiguredEnum.TryParse<MessageTransport>(Transport, out var transport) ? transport : throw new InvalidOperationException(UnknownTransport(Transport));

    internal static string UnknownTransport(string? value) =>
        $"{SectionName}:{nameof(Transport)} '{value}' is not supported; use one of: {string.Join(", ", Enum.GetNames<MessageTransport>())}.";
}
