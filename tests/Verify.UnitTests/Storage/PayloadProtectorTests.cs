using System.Security.Cryptography;
using Verify.Data.Protection;

namespace Verify.UnitTests.Storage;

public sealed class PayloadProtectorTests
{
    private static readonly string KeyA = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string KeyB = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string Fingerprint = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    internal static ProtectionKeyRing Ring(string active = "a", params (string Id, string Key)[] keys)
    {
        var options = new ProtectionOptions { ActiveKeyId = active, FingerprintKey = Fingerprint };
        foreach (var (id, key) in keys.Length == 0 ? [("a", KeyA)] : keys)
        {
            options.Keys[id] = key;
        }

        return ProtectionKeyRing.Create(options);
    }

    private static readonly byte[] Embedding = [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 7))];

    [Fact]
    public void Protected_payload_opens_to_the_original_and_does_not_contain_it()
    {
        var protector = new PayloadProtector(Ring());
        var sealedBytes = protector.Protect(Embedding, "template:1");

        Assert.Equal(Embedding, protector.Unprotect(sealedBytes, "template:1"));
        Assert.Equal(-1, sealedBytes.AsSpan().IndexOf(Embedding.AsSpan(0, 16)));
        Assert.Equal("a", PayloadProtector.KeyIdOf(sealedBytes));
    }

    [Fact]
    public void Same_plaintext_protects_differently_each_time()
    {
        var protector = new PayloadProtector(Ring());
        Assert.NotEqual(protector.Protect(Embedding, "p"), protector.Protect(Embedding, "p"));
    }

    [Fact]
    public void Payload_opened_for_another_purpose_fails()
    {
        var protector = new PayloadProtector(Ring());
        var sealedBytes = protector.Protect(Embedding, "template:1");
        Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect(sealedBytes, "template:2"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(100)]
    public void Any_altered_byte_is_detected(int index)
    {
        var protector = new PayloadProtector(Ring());
        var sealedBytes = protector.Protect(Embedding, "p");
        sealedBytes[index] ^= 0x01;
        Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect(sealedBytes, "p"));
    }

    [Fact]
    public void Truncated_or_foreign_bytes_are_refused()
    {
        var protector = new PayloadProtector(Ring());
        var sealedBytes = protector.Protect(Embedding, "p");
        Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect(sealedBytes.AsSpan(0, 20), "p"));
        Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect([], "p"));
        Assert.Throws<PayloadUnprotectException>(() => protector.Unprotect(Embedding, "p"));
    }

    [Fact]
    public void After_a_key_rotation_old_payloads_still_open_and_new_ones_use_the_new_key()
    {
        var before = new PayloadProtector(Ring("a", ("a", KeyA)));
        var old = before.Protect(Embedding, "p");

        var after = new PayloadProtector(Ring("b", ("a", KeyA), ("b", KeyB)));
        Assert.Equal(Embedding, after.Unprotect(old, "p"));
        Assert.Equal("b", PayloadProtector.KeyIdOf(after.Protect(Embedding, "p")));
    }

    [Fact]
    public void Payload_under_a_key_no_longer_configured_is_refused_with_its_key_id()
    {
        var old = new PayloadProtector(Ring("a", ("a", KeyA))).Protect(Embedding, "p");
        var exception = Assert.Throws<PayloadUnprotectException>(() => new PayloadProtector(Ring("b", ("b", KeyB))).Unprotect(old, "p"));
        Assert.Contains("'a'", exception.Message, StringComparison.Ordinal);
    }
}
