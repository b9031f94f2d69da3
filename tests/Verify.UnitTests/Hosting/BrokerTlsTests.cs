using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Verify.Hosting;

namespace Verify.UnitTests.Hosting;

/// <summary>A broker certificate under a configured private CA: trusted when it chains to that CA, never for another CA or a wrong name.</summary>
public sealed class BrokerTlsTests
{
    [Fact]
    public void The_brokers_certificate_must_chain_to_the_configured_authority_and_carry_its_name()
    {
        using var authority = Authority("Verify test CA");
        using var stranger = Authority("Someone else's CA");
        using var broker = Leaf(authority, "broker.internal");

        Assert.True(BrokerTls.IsTrusted(broker, SslPolicyErrors.RemoteCertificateChainErrors, authority));
        Assert.False(BrokerTls.IsTrusted(broker, SslPolicyErrors.RemoteCertificateChainErrors, stranger));
        Assert.False(BrokerTls.IsTrusted(broker, SslPolicyErrors.RemoteCertificateNameMismatch, authority));
        Assert.False(BrokerTls.IsTrusted(null, SslPolicyErrors.RemoteCertificateNotAvailable, authority));
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }

    private static X509Certificate2 Leaf(X509Certificate2 authority, string host)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.Create(authority, now.AddHours(-1), now.AddDays(7), [1, 2, 3, 4]);
    }
}
