using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MassTransit;

namespace Verify.Hosting;

/// <summary>
/// AMQP over TLS from <see cref="BusTransportOptions"/>: TLS 1.2 or 1.3, the broker's certificate checked against its
/// name and either the system's trust store or a configured private CA, and an optional client certificate.
/// </summary>
internal static class BrokerTls
{
    private const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    public static void Configure(IRabbitMqSslConfigurator ssl, BusTransportOptions options)
    {
        ssl.Protocol = Protocols;
        ssl.ServerName = ServerName(options);
        if (!string.IsNullOrEmpty(options.RabbitMqTlsClientCertificatePath))
        {
            ssl.CertificatePath = options.RabbitMqTlsClientCertificatePath;
            ssl.CertificatePassphrase = options.RabbitMqTlsClientCertificatePassphrase;
        }

        if (AuthorityCheck(options) is { } check)
        {
            ssl.CertificateValidationCallback = check;
        }
    }

    /// <summary>The same TLS settings for a plain RabbitMQ client connection (the readiness probe's).</summary>
    public static RabbitMQ.Client.SslOption ClientOption(BusTransportOptions options) => new()
    {
        Enabled = options.RabbitMqUseTls,
        Version = Protocols,
        ServerName = ServerName(options),
        CertPath = options.RabbitMqTlsClientCertificatePath ?? "",
        CertPassphrase = options.RabbitMqTlsClientCertificatePassphrase ?? "",
        CertificateValidationCallback = options.RabbitMqUseTls ? AuthorityCheck(options) : null,
    };

    /// <summary>The name the broker's certificate must carry: the configured one, else the host connected to.</summary>
    private static string ServerName(BusTransportOptions options) =>
        string.IsNullOrEmpty(options.RabbitMqTlsServerName) ? options.RabbitMqHost : options.RabbitMqTlsServerName;

    /// <summary>The check against the configured private CA (loaded once, here); null to use the system's trust store.</summary>
    private static RemoteCertificateValidationCallback? AuthorityCheck(BusTransportOptions options)
    {
        if (string.IsNullOrEmpty(options.RabbitMqTlsCaCertificatePath))
        {
            return null;
        }

        var authority = X509CertificateLoader.LoadCertificateFromFile(options.RabbitMqTlsCaCertificatePath);
        return (_, certificate, _, errors) => IsTrusted(certificate, errors, authority);
    }

    /// <summary>
    /// Whether the broker's certificate is good under a private CA: the name must match and a certificate be presented
    /// (those errors are never forgiven), and the chain must end in <paramref name="authority"/>.
    /// </summary>
    internal static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2 authority)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
