using Verify.Documents.Chip;
using Verify.Documents.Mrz;
using Verify.Imaging;
using Verify.Synthetic.Chip;

namespace Verify.UnitTests.Documents;

/// <summary>One synthetic issuing state per key type, made once for a test class (RSA keys take a while).</summary>
public sealed class ChipIssuers : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public SyntheticChipIssuer Ecdsa { get; } = SyntheticChipIssuer.Create("UTO", Now);

    public SyntheticChipIssuer Rsa { get; } = SyntheticChipIssuer.Create("UTO", Now, ChipSigningKey.Rsa2048);

    public SyntheticChipIssuer Get(ChipSigningKey key) => key == ChipSigningKey.Rsa2048 ? Rsa : Ecdsa;

    public void Dispose()
    {
        Ecdsa.Dispose();
        Rsa.Dispose();
    }
}

/// <summary>The identity and face the chip tests put on their chips.</summary>
internal static class ChipTestData
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(ChipIssuers.Now.UtcDateTime);

    public static MrzIdentity Identity(MrzFormat format = MrzFormat.Td3) => new(
        format, format == MrzFormat.Td3 ? "P" : "I", "UTO", "Eriksson", "Anna Maria", "L898902C3", "UTO",
        new DateOnly(1974, 8, 12), MrzSex.Female, new DateOnly(2031, 4, 15), format == MrzFormat.Td3 ? "ZE184226B" : "");

    private static readonly Lazy<ChipFaceImage> JpegFace = new(() =>
    {
        using var image = RgbImage.Allocate(48, 64);
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7) % 251);
        }

        return new ChipFaceImage(ChipImageFormat.Jpeg, ImageEncoder.EncodeJpeg(image), 48, 64);
    });

    /// <summary>A 48 x 64 JPEG face (the pixels do not matter: DG2's image is opaque to the chip code).</summary>
    public static ChipFaceImage Face => JpegFace.Value;

    /// <summary>Arbitrary bytes declared as JPEG 2000.</summary>
    public static ChipFaceImage Jpeg2000Face { get; } = new(ChipImageFormat.Jpeg2000, [.. Enumerable.Range(0, 300).Select(i => (byte)(i * 13))], 240, 320);
}
