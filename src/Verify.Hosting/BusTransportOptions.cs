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

    public string RabbitMqUsername { get; set; } = "guest";

    public string RabbitMqPassword { get; set; } = "guest";

    internal MessageTransport ParsedTransport =>
        ConfiguredEnum.TryParse<MessageTransport>(Transport, out var transport) ? transport : throw new InvalidOperationException(UnknownTransport(Transport));

    internal static string UnknownTransport(string? value) =>
        $"{SectionName}:{nameof(Transport)} '{value}' is not supported; use one of: {string.Join(", ", Enum.GetNames<MessageTransport>())}.";
}
