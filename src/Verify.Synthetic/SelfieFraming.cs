using Verify.Imaging;

namespace Verify.Synthetic;

/// <summary>
/// Turns a face-centred press photo (LFW's 250 pixels square) into what a phone selfie frames: the centre of the
/// photo, enlarged so that the face is phone-sized. The end-to-end evaluation and the liveness calibration prepare
/// their selfies alike, so that a threshold is chosen on the kind of picture it is applied to.
/// </summary>
public static class SelfieFraming
{
    /// <summary>The share of width and height kept by default: LFW's bystanders at the edges fall outside it.</summary>
    public const double DefaultShare = 0.68;

    /// <summary>The long side selfies are enlarged to by default: a face of about 340 pixels, as a phone at arm's length gives.</summary>
    public const int DefaultSide = 640;

    /// <summary>
    /// A new image: the central <paramref name="share"/> of <paramref name="photo"/>'s width and height (1: all of it),
    /// scaled so that its long side is <paramref name="side"/> pixels (0: as cut). The photo is left to its owner.
    /// </summary>
    public static RgbImage Prepare(RgbImage photo, double share = DefaultShare, int side = DefaultSide)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentOutOfRangeException.ThrowIfNegative(side);
        share = Math.Clamp(share, 0.1, 1);
        int width = Math.Max(1, (int)Math.Round(photo.Width * share)), height = Math.Max(1, (int)Math.Round(photo.Height * share));
        using var framed = photo.Crop((photo.Width - width) / 2, (photo.Height - height) / 2, width, height);
        if (side == 0)
        {
            return framed.Crop(0, 0, framed.Width, framed.Height);
        }

        double scale = (double)side / Math.Max(width, height);
        return ImageResampler.Resize(framed, Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
    }
}
