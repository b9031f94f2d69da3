using System.Security.Cryptography;
using Verify.Data.Protection;

namespace Verify.UnitTests.Storage;

public sealed class DocumentFingerprinterTests
{
    private static DocumentFingerprinter With(string fingerprintKey) => new(ProtectionKeyRing.Create(new ProtectionOptions
    {
        Keys = { ["k1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
        FingerprintKey = fingerprintKey,
    }));

    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Same_document_gives_the_same_fingerprint_whatever_the_fillers_and_case()
    {
        var fingerprinter = With(KeyA);
        Assert.Equal(fingerprinter.Fingerprint("D<<", "C01X00T47"), fingerprinter.Fingerprint("d", "c01x00t47<<"));
        Assert.Equal(32, fingerprinter.Fingerprint("DEU", "C01X00T47").Length);
    }

    [Fact]
    public void Another_number_or_state_gives_another_fingerprint()
    {
        var fingerprinter = With(KeyA);
        var reference = fingerprinter.Fingerprint("DEU", "C01X00T47");
        Assert.NotEqual(reference, fingerprinter.Fingerprint("DEU", "C01X00T48"));
        Assert.NotEqual(reference, fingerprinter.Fingerprint("AUT", "C01X00T47"));
    }

    [Fact]
    public void Without_the_key_the_fingerprint_cannot_be_reproduced()
    {
        var other = With(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        Assert.NotEqual(With(KeyA).Fingerprint("DEU", "C01X00T47"), other.Fingerprint("DEU", "C01X00T47"));
    }

    [Fact]
    public void The_fingerprint_is_not_a_plain_hash_of_the_number()
    {
        var plain = SHA256.HashData("DEU\nC01X00T47"u8);
        Assert.NotEqual(plain, With(KeyA).Fingerprint("DEU", "C01X00T47"));
    }
}
