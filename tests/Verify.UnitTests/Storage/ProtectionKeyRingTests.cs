using System.Security.Cryptography;
using Verify.Data.Protection;

namespace Verify.UnitTests.Storage;

public sealed class ProtectionKeyRingTests
{
    private static string Key(int length = 32) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(length));

    [Fact]
    public void No_keys_and_no_key_file_stops_with_what_to_configure()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Create(new ProtectionOptions()));
        Assert.Contains("Protection:Keys", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Key_of_the_wrong_length_is_refused()
    {
        var options = new ProtectionOptions { FingerprintKey = Key(), Keys = { ["k1"] = Key(16) } };
        var exception = Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Create(options));
        Assert.Contains("32 bytes", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Active_key_must_be_one_of_the_keys()
    {
        var options = new ProtectionOptions { FingerprintKey = Key(), ActiveKeyId = "k2", Keys = { ["k1"] = Key() } };
        Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Create(options));
    }

    [Fact]
    public void Missing_fingerprint_key_is_refused()
    {
        var options = new ProtectionOptions { Keys = { ["k1"] = Key() } };
        var exception = Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Create(options));
        Assert.Contains("FingerprintKey", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_mode_generates_keys_once_into_an_owner_only_file_and_reuses_them()
    {
        string directory = Directory.CreateTempSubdirectory("verify-keys-").FullName;
        try
        {
            string file = Path.Combine(directory, "sub", "keys.json");
            var first = ProtectionKeyRing.Create(new ProtectionOptions { GeneratedKeyFile = file });
            var sealedBytes = new PayloadProtector(first).Protect([1, 2, 3], "p");

            var second = ProtectionKeyRing.Create(new ProtectionOptions { GeneratedKeyFile = file });
            Assert.Equal([1, 2, 3], new PayloadProtector(second).Unprotect(sealedBytes, "p"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Half_a_configuration_is_an_error_not_replaced_by_generated_keys()
    {
        string directory = Directory.CreateTempSubdirectory("verify-keys-").FullName;
        try
        {
            var options = new ProtectionOptions { FingerprintKey = Key(), GeneratedKeyFile = Path.Combine(directory, "keys.json") };
            Assert.Throws<InvalidOperationException>(() => ProtectionKeyRing.Create(options));
            Assert.False(File.Exists(options.GeneratedKeyFile));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Processes_generating_keys_at_once_all_end_with_the_same_keys()
    {
        string directory = Directory.CreateTempSubdirectory("verify-keys-").FullName;
        try
        {
            string file = Path.Combine(directory, "keys.json");
            var rings = new ProtectionKeyRing[8];
            Parallel.For(0, rings.Length, i => rings[i] = ProtectionKeyRing.Create(new ProtectionOptions { GeneratedKeyFile = file }));
            var sealedBytes = new PayloadProtector(rings[0]).Protect([4, 5, 6], "p");
            Assert.All(rings, ring => Assert.Equal([4, 5, 6], new PayloadProtector(ring).Unprotect(sealedBytes, "p")));
            Assert.Equal(["keys.json"], Directory.GetFiles(directory).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
