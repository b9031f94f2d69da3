namespace Verify.Imaging;

/// <summary>An 8-bit RGB colour.</summary>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    public static RgbColor Black => new(0, 0, 0);

    public static RgbColor White => new(255, 255, 255);

    /// <summary>The colour <paramref name="amount"/> of the way (0 to 1) towards <paramref name="other"/>.</summary>
    public RgbColor Mix(RgbColor other, double amount) => new(
        (byte)Math.Clamp((int)Math.Round(R + ((other.R - R) * amount)), 0, 255),
        (byte)Math.Clamp((int)Math.Round(G + ((other.G - G) * amount)), 0, 255),
        (byte)Math.Clamp((int)Math.Round(B + ((other.B - B) * amount)), 0, 255));
}
