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
    public static void Configure(IRabbitMqSslConfigurator ssl, BusTransportOptions options)
    {
        ssl.Protocol = SslProtocols.Tls12 | SslProtocols.Tls13;
        ssl.ServerName = string.IsNullOrEmpty(options.RabbitMqTlsServerName) ? options.RabbitMqHost : options.RabbitMqTlsServerName;
        if (!string.IsNullOrEmpty(options.RabbitMqTlsClientCertificatePath))
        {
            ssl.CertificatePath = options.RabbitMqTlsClientCertificatePath;
            ssl.CertificatePassphrase = options.RabbitMqTlsClientCertificatePassphrase;
        }

        if (!string.IsNullOrEmpty(options.RabbitMqTlsCaCertificatePath))
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(options.RabbitMqTlsCaCertificatePath);
            ssl.CertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authority);
        }
    }

    /// <summary>The same TLS settings for a plain RabbitMQ client connection (the readiness probe's).</summary>
    public static RabbitMQ.Client.SslOption ClientOption(BusTransportOptions options)
    {
        var ssl = new RabbitMQ.Client.SslOption
        {
            Enabled = options.RabbitMqUseTls,
            Version = SslProtocols.Tls12 | SslProtocols.Tls13,
            ServerName = string.IsNullOrEmpty(options.RabbitMqTlsServerName) ? options.RabbitMqHost : options.RabbitMqTlsServerName,
            CertPath = options.RabbitMqTlsClientCertificatePath ?? "",
            CertPassphrase = options.RabbitMqTlsClientCertificatePassphrase ?? "",
        };
        if (options.RabbitMqUseTls && !string.IsNullOrEmpty(options.RabbitMqTlsCaCertificatePath))
        {
            var authority = X509CertificateLoader.LoadCertificateFromFile(options.RabbitMqTlsCaCertificatePath);
            ssl.CertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, authority);
        }

        return ssl;
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
