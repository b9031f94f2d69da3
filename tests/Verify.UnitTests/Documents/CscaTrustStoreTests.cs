using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Verify.Documents.Chip;
using Verify.Documents.Hosting;
using Verify.Synthetic.Chip;

namespace Verify.UnitTests.Documents;

public sealed class CscaTrustStoreTests(ChipIssuers issuers) : IClassFixture<ChipIssuers>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("verify-csca-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static bool Authenticates(CscaTrustStore store, SyntheticChipIssuer issuer, ChipTamper tamper = ChipTamper.None)
    {
        var files = issuer.Issue(ChipTestData.Identity(), ChipTestData.Face, tamper);
        return new PassiveAuthenticator(store).Authenticate(files.Sod, files.Dg1, files.Dg2, ChipIssuers.Now).Authenticated;
    }

    [Fact]
    public void A_folder_of_cer_pem_crl_and_master_list_files_loads_every_csca_and_crl()
    {
        using var third = SyntheticChipIssuer.Create("ZZA", ChipIssuers.Now);
        issuers.Ecdsa.WriteTrustStore(_folder);
        issuers.Rsa.WriteTrustStore(Path.Combine(_folder, "lists"), asMasterList: true);
        File.WriteAllText(Path.Combine(_folder, "zza.pem"), third.Csca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_folder, "zza.crl"), PemEncoding.WriteString("X509 CRL", third.Crl(revokeSigner: false)));
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a certificate");

        var store = CscaTrustStore.Load(_folder);

        Assert.Equal(3, store.CertificateCount);
        Assert.Equal(3, store.CrlCount);
        Assert.Empty(store.Skipped);
        Assert.True(Authenticates(store, issuers.Ecdsa));
        Assert.True(Authenticates(store, issuers.Rsa));
        Assert.True(Authenticates(store, third));
        Assert.False(Authenticates(store, third, ChipTamper.RevokedSigner));
        Assert.False(Authenticates(store, issuers.Rsa, ChipTamper.RevokedSigner));
    }

    [Fact]
    public void A_trust_store_written_with_a_revoked_signer_rejects_genuine_chips()
    {
        issuers.Ecdsa.WriteTrustStore(_folder, revokeSigner: true);
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        var result = new PassiveAuthenticator(CscaTrustStore.Load(_folder)).Authenticate(files.Sod, files.Dg1, files.Dg2, ChipIssuers.Now);

        Assert.Equal(ChipAuthenticationFailure.SignerRevoked, result.Failure);
    }

    [Fact]
    public void A_crl_signed_by_a_stranger_under_the_cscas_name_is_ignored()
    {
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(issuers.Ecdsa.Csca.SubjectName, strangerKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var stranger = request.CreateSelfSigned(ChipIssuers.Now.AddYears(-1), ChipIssuers.Now.AddYears(1));
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(issuers.Ecdsa.DocumentSigner);
        var crl = builder.Build(stranger, 1, ChipIssuers.Now.AddDays(30), HashAlgorithmName.SHA256, thisUpdate: ChipIssuers.Now);

        var store = new CscaTrustStore([issuers.Ecdsa.Csca], [crl]);

        Assert.Equal(1, store.CertificateCount);
        Assert.Equal(0, store.CrlCount);
        Assert.True(Authenticates(store, issuers.Ecdsa));
    }

    [Fact]
    public void A_master_list_whose_signature_is_broken_is_left_out()
    {
        var masterList = issuers.Ecdsa.MasterList();
        masterList[^3] ^= 0x01;
        File.WriteAllBytes(Path.Combine(_folder, "broken.ml"), masterList);
        File.WriteAllBytes(Path.Combine(_folder, "garbage.cer"), [1, 2, 3]);

        var store = CscaTrustStore.Load(_folder);

        Assert.Equal(0, store.CertificateCount);
        Assert.Equal(2, store.Skipped.Count);
        Assert.Contains(store.Skipped, line => line.StartsWith("broken.ml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_document_signer_certificate_is_not_taken_for_a_csca()
    {
        var store = new CscaTrustStore([issuers.Ecdsa.DocumentSigner], []);

        Assert.Equal(0, store.CertificateCount);
        Assert.False(Authenticates(store, issuers.Ecdsa));
    }

    [Fact]
    public void Hosts_load_the_configured_folder_and_fall_back_to_an_empty_store()
    {
        issuers.Ecdsa.WriteTrustStore(_folder);

        Assert.Equal(1, Resolve(_folder).CertificateCount);
        Assert.Equal(0, Resolve(Path.Combine(_folder, "missing")).CertificateCount);
        Assert.Same(CscaTrustStore.Empty, Resolve(null));
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_left_out_and_the_rest_loads()
    {
        issuers.Ecdsa.WriteTrustStore(_folder);
        File.CreateSymbolicLink(Path.Combine(_folder, "dangling.cer"), Path.Combine(_folder, "gone", "csca.cer"));

        var store = CscaTrustStore.Load(_folder);

        Assert.Equal(1, store.CertificateCount);
        Assert.Equal(1, store.CrlCount);
        var skipped = Assert.Single(store.Skipped);
        Assert.StartsWith("dangling.cer: ", skipped, StringComparison.Ordinal);
        Assert.DoesNotContain(_folder, skipped, StringComparison.Ordinal);
        Assert.True(Authenticates(store, issuers.Ecdsa));
    }

    [Fact]
    public void Hosts_fall_back_to_an_empty_store_when_the_folder_cannot_be_listed()
    {
        // Tests run as root, whom no folder mode keeps out: the failure is raised where listing the folder would raise it.
        var options = new ChipOptions { TrustStore = _folder };

        var store = CscaTrustStoreLoader.Load(options, NullLogger.Instance, _ => throw new UnauthorizedAccessException("Access denied."));

        Assert.Same(CscaTrustStore.Empty, store);
        Assert.Same(CscaTrustStore.Empty, CscaTrustStoreLoader.Load(options, NullLogger.Instance, _ => throw new IOException("I/O error.")));
    }

    private static CscaTrustStore Resolve(string? folder)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Documents:Chip:TrustStore"] = folder })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddVerifyDocuments().BuildServiceProvider();
        Assert.NotNull(services.GetRequiredService<PassiveAuthenticator>());
        return services.GetRequiredService<CscaTrustStore>();
    }
}
