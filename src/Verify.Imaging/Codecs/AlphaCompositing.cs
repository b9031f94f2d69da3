namespace Verify.Imaging.Codecs;

/// <summary>
/// Puts RGBA pixels onto a white backdrop, as the PNG decoder does, so that a transparent photo decodes to
/// the same picture whatever its format (and never to whatever colour the encoder left under the alpha).
/// </summary>
internal static class AlphaCompositing
{
    /// <param name="rgba">Rows of RGBA pixels, <paramref name="stride"/> bytes apart.</param>
    /// <param name="stride">Bytes per RGBA row.</param>
    /// <param name="premultiplied">Whether colour values are already multiplied by alpha.</param>
    /// <param name="target">The RGB image to fill; same width and height.</param>
    public static void OntoWhite(ReadOnlySpan<byte> rgba, int stride, bool premultiplied, RgbImage target)
    {
        for (int y = 0; y < target.Height; y++)
        {
            var source = rgba.Slice(y * stride, target.Width * 4);
            var row = target.Row(y);
            for (int x = 0; x < target.Width; x++)
            {
                int alpha = source[(x * 4) + 3];
                int white = 255 * (255 - alpha);
                for (int c = 0; c < 3; c++)
                {
                    int colour = source[(x * 4) + c];
                    int value = premultiplied ? (colour * 255) + white : (colour * alpha) + white;
                    row[(x * 3) + c] = (byte)Math.Min(255, (value + 127) / 255);
                }
            }
        }
    }
}
