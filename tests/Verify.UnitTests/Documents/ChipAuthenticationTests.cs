using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Verify.Documents.Chip;
using Verify.Synthetic.Chip;

namespace Verify.UnitTests.Documents;

public sealed class ChipAuthenticationTests(ChipIssuers issuers) : IClassFixture<ChipIssuers>
{
    private static readonly DateTimeOffset Now = ChipIssuers.Now;

    private static CscaTrustStore StoreOf(SyntheticChipIssuer issuer, bool revokeSigner = false) =>
        new([issuer.Csca], [issuer.Crl(revokeSigner)]);

    private static ChipAuthentication Authenticate(CscaTrustStore store, ChipFiles files, DateTimeOffset? now = null) =>
        new PassiveAuthenticator(store).Authenticate(files.Sod, files.Dg1, files.Dg2, now ?? Now);

    [Theory]
    [InlineData(ChipSigningKey.EcdsaP256)]
    [InlineData(ChipSigningKey.Rsa2048)]
    public void A_genuine_chip_authenticates(ChipSigningKey key)
    {
        var issuer = issuers.Get(key);
        var files = issuer.Issue(ChipTestData.Identity(), ChipTestData.Face);

        var result = Authenticate(StoreOf(issuer), files);

        Assert.True(result.Authenticated, result.ToString());
        Assert.Null(result.Failure);
        Assert.Null(result.Reason);
        Assert.False(result.IsReviewOnly);
        Assert.Equal("SHA-256", result.HashAlgorithm);
        Assert.Equal(issuer.SigningTime.ToUnixTimeSeconds(), result.SigningTime!.Value.ToUnixTimeSeconds());
        Assert.Equal("UT", result.SignerCountry);
        Assert.Equal("ChipAuthentication { Authenticated = True, Reason = , HashAlgorithm = SHA-256 }", result.ToString());
    }

    [Fact]
    public void A_genuine_chip_signed_on_a_brainpool_curve_authenticates()
    {
        using var issuer = SyntheticChipIssuer.Create("UTO", Now, ChipSigningKey.EcdsaBrainpoolP256);
        var files = issuer.Issue(ChipTestData.Identity(), ChipTestData.Face);

        Assert.True(Authenticate(StoreOf(issuer), files).Authenticated);
        Assert.Equal(ChipAuthenticationFailure.SignerUntrusted, Authenticate(StoreOf(issuer), issuer.Issue(ChipTestData.Identity(),
            ChipTestData.Face, ChipTamper.ForgedSigner)).Failure);
    }

    [Theory]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.Dg1ByteChanged, ChipAuthenticationFailure.Dg1Altered, "chip_dg1_altered")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.Dg2ByteChanged, ChipAuthenticationFailure.Dg2Altered, "chip_dg2_altered")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.SignatureBroken, ChipAuthenticationFailure.SignatureInvalid, "chip_signature_invalid")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.ForgedSigner, ChipAuthenticationFailure.SignerUntrusted, "chip_signer_untrusted")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.UnknownCsca, ChipAuthenticationFailure.CscaUnknown, "chip_csca_unknown")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.ExpiredSigner, ChipAuthenticationFailure.SignerExpired, "chip_signer_expired")]
    [InlineData(ChipSigningKey.EcdsaP256, ChipTamper.RevokedSigner, ChipAuthenticationFailure.SignerRevoked, "chip_signer_revoked")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.Dg1ByteChanged, ChipAuthenticationFailure.Dg1Altered, "chip_dg1_altered")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.Dg2ByteChanged, ChipAuthenticationFailure.Dg2Altered, "chip_dg2_altered")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.SignatureBroken, ChipAuthenticationFailure.SignatureInvalid, "chip_signature_invalid")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.ForgedSigner, ChipAuthenticationFailure.SignerUntrusted, "chip_signer_untrusted")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.UnknownCsca, ChipAuthenticationFailure.CscaUnknown, "chip_csca_unknown")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.ExpiredSigner, ChipAuthenticationFailure.SignerExpired, "chip_signer_expired")]
    [InlineData(ChipSigningKey.Rsa2048, ChipTamper.RevokedSigner, ChipAuthenticationFailure.SignerRevoked, "chip_signer_revoked")]
    public void Each_tamper_gives_its_own_failure(ChipSigningKey key, ChipTamper tamper, ChipAuthenticationFailure failure, string reason)
    {
        var issuer = issuers.Get(key);
        var files = issuer.Issue(ChipTestData.Identity(), ChipTestData.Face, tamper);

        var result = Authenticate(StoreOf(issuer), files);

        Assert.False(result.Authenticated);
        Assert.Equal(failure, result.Failure);
        Assert.Equal(reason, result.Reason);
        Assert.Equal(tamper == ChipTamper.UnknownCsca, result.IsReviewOnly);
    }

    [Fact]
    public void Altered_data_groups_still_parse()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face, ChipTamper.Dg1ByteChanged);
        var dg2Files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face, ChipTamper.Dg2ByteChanged);

        Assert.Equal(2, ChipDataGroups.ReadDg1Mrz(files.Dg1).Count);
        Assert.NotEqual(ChipTestData.Face.Image, ChipDataGroups.ReadDg2Face(dg2Files.Dg2).Image);
    }

    [Fact]
    public void A_revoked_document_signer_is_rejected_by_a_store_whose_crl_lists_it()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        Assert.Equal(ChipAuthenticationFailure.SignerRevoked, Authenticate(StoreOf(issuers.Ecdsa, revokeSigner: true), files).Failure);
        Assert.True(Authenticate(new CscaTrustStore([issuers.Ecdsa.Csca], []), issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face,
            ChipTamper.RevokedSigner)).Authenticated);
    }

    [Fact]
    public void An_empty_store_sends_a_genuine_chip_to_review()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        var result = Authenticate(CscaTrustStore.Empty, files);

        Assert.Equal(ChipAuthenticationFailure.CscaUnknown, result.Failure);
        Assert.True(result.IsReviewOnly);
    }

    [Fact]
    public void Another_issuers_csca_with_the_same_name_is_unknown_not_a_forgery()
    {
        using var other = SyntheticChipIssuer.Create("UTO", Now);
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        Assert.Equal(ChipAuthenticationFailure.CscaUnknown, Authenticate(StoreOf(other), files).Failure);
    }

    [Fact]
    public void A_sod_without_signing_time_is_checked_at_now()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face, withSigningTime: false);
        var expired = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face, ChipTamper.ExpiredSigner, withSigningTime: false);
        var store = StoreOf(issuers.Ecdsa);

        var result = Authenticate(store, files);
        Assert.True(result.Authenticated);
        Assert.Null(result.SigningTime);
        Assert.Equal(ChipAuthenticationFailure.SignerExpired, Authenticate(store, files, Now.AddYears(6)).Failure);
        Assert.Equal(ChipAuthenticationFailure.SignerExpired, Authenticate(store, files, Now.AddDays(-31)).Failure);
        Assert.Equal(ChipAuthenticationFailure.SignerExpired, Authenticate(store, expired).Failure);
        Assert.True(Authenticate(store, expired, Now.AddDays(-100)).Authenticated);
    }

    [Fact]
    public void A_signing_time_wins_over_now()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        Assert.True(Authenticate(StoreOf(issuers.Ecdsa), files, Now.AddYears(20)).Authenticated);
    }

    [Fact]
    public void A_sod_without_a_hash_for_dg2_leaves_it_unsigned()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var sod = issuers.Ecdsa.Sod(new Dictionary<int, byte[]> { [1] = SHA256.HashData(files.Dg1) }, ChipDataGroupEncoder.Sha256Oid,
            issuers.Ecdsa.DocumentSigner, issuers.Ecdsa.SigningTime);

        Assert.Equal(ChipAuthenticationFailure.DataGroupUnsigned, Authenticate(StoreOf(issuers.Ecdsa), files with { Sod = sod }).Failure);
    }

    [Fact]
    public void Md5_data_group_hashes_are_an_unsupported_algorithm()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var hashes = new Dictionary<int, byte[]> { [1] = MD5.HashData(files.Dg1), [2] = MD5.HashData(files.Dg2) };
        var sod = issuers.Ecdsa.Sod(hashes, "1.2.840.113549.2.5", issuers.Ecdsa.DocumentSigner, issuers.Ecdsa.SigningTime);

        var result = Authenticate(StoreOf(issuers.Ecdsa), files with { Sod = sod });

        Assert.Equal(ChipAuthenticationFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Equal("chip_algorithm_unsupported", result.Reason);
        Assert.Equal("1.2.840.113549.2.5", result.HashAlgorithm);
    }

    [Fact]
    public void The_sod_exposes_its_hashes_signer_and_signing_time()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);

        var sod = ChipSecurityObject.Read(files.Sod);

        Assert.Equal("SHA-256", sod.HashAlgorithm);
        Assert.Equal(SHA256.HashData(files.Dg1), sod.DataGroupHashes[1]);
        Assert.Equal(SHA256.HashData(files.Dg2), sod.DataGroupHashes[2]);
        Assert.Equal(issuers.Ecdsa.DocumentSigner.Thumbprint, sod.DocumentSigner!.Thumbprint);
        Assert.Single(sod.Certificates);
        Assert.Equal(issuers.Ecdsa.SigningTime.ToUnixTimeSeconds(), sod.SigningTime!.Value.ToUnixTimeSeconds());
    }

    [Fact]
    public void A_sod_without_its_document_signer_certificate_does_not_verify()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var cms = new SignedCms();
        cms.Decode(files.Sod.AsSpan(4));
        cms.RemoveCertificate(cms.Certificates[0]);
        var sod = ChipDataGroupEncoder.SodTemplate(cms.Encode());

        Assert.Null(ChipSecurityObject.Read(sod).DocumentSigner);
        Assert.Equal(ChipAuthenticationFailure.SignatureInvalid, Authenticate(StoreOf(issuers.Ecdsa), files with { Sod = sod }).Failure);
    }

    [Fact]
    public void A_jpeg_2000_face_is_signed_and_read_back_as_it_was()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Jpeg2000Face);

        Assert.True(Authenticate(StoreOf(issuers.Ecdsa), files).Authenticated);
        Assert.Equal(ChipTestData.Jpeg2000Face, ChipDataGroups.ReadDg2Face(files.Dg2) with { Image = ChipTestData.Jpeg2000Face.Image });
        Assert.Equal(ChipTestData.Jpeg2000Face.Image, ChipDataGroups.ReadDg2Face(files.Dg2).Image);
    }

    [Theory]
    [InlineData(ChipSigningKey.EcdsaP256)]
    [InlineData(ChipSigningKey.Rsa2048)]
    public void A_sod_with_any_byte_changed_is_rejected_or_malformed_and_never_throws_another_exception(ChipSigningKey key)
    {
        var issuer = issuers.Get(key);
        var files = issuer.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var authenticator = new PassiveAuthenticator(StoreOf(issuer));
        var random = new Random(18);
        for (var at = 0; at < files.Sod.Length; at++)
        {
            var sod = (byte[])files.Sod.Clone();
            sod[at] ^= (byte)random.Next(1, 256);
            try
            {
                // Bytes that no signature covers (the SignedData version, its list of digest algorithms) change nothing.
                authenticator.Authenticate(sod, files.Dg1, files.Dg2, Now);
            }
            catch (ChipDataException exception)
            {
                Assert.True(exception.Error is ChipDataError.SodMalformed, $"byte {at}: {exception.Error}");
            }
        }
    }

    [Fact]
    public void A_sod_truncated_at_every_length_is_malformed()
    {
        var sod = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face).Sod;

        for (var length = 0; length < sod.Length; length++)
        {
            ChipDataGroupsTests.AssertFails(() => ChipSecurityObject.Read(sod.AsSpan(0, length)), ChipDataError.SodMalformed);
        }
    }

    [Fact]
    public void A_sod_with_a_wrong_tag_or_content_type_is_malformed()
    {
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var wrongTag = (byte[])files.Sod.Clone();
        wrongTag[0] = 0x30;
        var authenticator = new PassiveAuthenticator(StoreOf(issuers.Ecdsa));

        ChipDataGroupsTests.AssertFails(() => authenticator.Authenticate(wrongTag, files.Dg1, files.Dg2, Now), ChipDataError.SodMalformed);
        ChipDataGroupsTests.AssertFails(() => authenticator.Authenticate(files.Dg1, files.Dg1, files.Dg2, Now), ChipDataError.SodMalformed);
        var masterList = ChipDataGroupEncoder.SodTemplate(issuers.Ecdsa.MasterList());
        ChipDataGroupsTests.AssertFails(() => authenticator.Authenticate(masterList, files.Dg1, files.Dg2, Now), ChipDataError.SodMalformed);
        ChipDataGroupsTests.AssertFails(() => authenticator.Authenticate([.. files.Sod, 0], files.Dg1, files.Dg2, Now), ChipDataError.SodMalformed);
    }

    /// <summary>Name ::= { C = "U@" }: '@' is outside PrintableString, so OpenSSL loads the name and .NET's DER reader rejects it.</summary>
    private static readonly byte[] UnreadableIssuerName =
        [0x30, 0x0D, 0x31, 0x0B, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x55, 0x40];

    [Fact]
    public void A_document_signer_whose_issuer_name_dotnet_cannot_read_is_an_unknown_csca_not_a_crash()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Document Signer, C=UT", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var unsigned = request.Create(new X500DistinguishedName(UnreadableIssuerName), X509SignatureGenerator.CreateForECDsa(key),
            Now.AddDays(-30), Now.AddYears(1), [0x11, 0x22, 0x33]);
        using var signer = unsigned.CopyWithPrivateKey(key);
        var files = issuers.Ecdsa.Issue(ChipTestData.Identity(), ChipTestData.Face);
        var sod = issuers.Ecdsa.Sod(ChipDataGroupEncoder.Sha256Hashes(files.Dg1, files.Dg2), ChipDataGroupEncoder.Sha256Oid, signer, issuers.Ecdsa.SigningTime);

        Assert.Empty(StoreOf(issuers.Ecdsa).IssuersOf(signer));
        foreach (var store in new[] { CscaTrustStore.Empty, StoreOf(issuers.Ecdsa), StoreOf(issuers.Rsa) })
        {
            var result = new PassiveAuthenticator(store).Authenticate(sod, files.Dg1, files.Dg2, Now);

            Assert.Equal(ChipAuthenticationFailure.CscaUnknown, result.Failure);
            Assert.Null(result.SignerCountry);
        }
    }
}
