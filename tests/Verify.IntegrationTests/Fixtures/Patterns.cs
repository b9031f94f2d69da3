namespace Verify.IntegrationTests.Fixtures;

/// <summary>Synthetic pictures whose expected pixels are known.</summary>
internal static class Patterns
{
    public static readonly byte[] Red = [230, 20, 20];
    public static readonly byte[] Green = [20, 200, 40];
    public static readonly byte[] Blue = [30, 40, 220];
    public static readonly byte[] White = [245, 245, 245];

    /// <summary>Four flat quadrants (top-left, top-right, bottom-left, bottom-right), packed RGB.</summary>
    public static byte[] Quadrants(int width, int height, byte[] topLeft, byte[] topRight, byte[] bottomLeft, byte[] bottomRight)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var colour = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => topLeft,
                    (false, true) => topRight,
                    (true, false) => bottomLeft,
                    _ => bottomRight,
                };
                colour.CopyTo(rgb, ((y * width) + x) * 3);
            }
        }

        return rgb;
    }

    /// <summary>A smooth gradient without any face-like structure.</summary>
    public static byte[] Gradient(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = ((y * width) + x) * 3;
                rgb[i] = (byte)(x * 255 / width);
                rgb[i + 1] = (byte)(y * 255 / height);
                rgb[i + 2] = 128;
            }
        }

        return rgb;
    }
}
