using Verify.Documents.Reading;
using Verify.Imaging;

namespace Verify.UnitTests.Documents;

/// <summary>The MRZ locator on drawn pages: dark character-sized marks in MRZ rows under a paragraph of "text".</summary>
public sealed class MrzLocatorTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(7, 2)]
    [InlineData(-14, 3)]
    [InlineData(90, 2)]
    [InlineData(103, 3)]
    [InlineData(180, 2)]
    [InlineData(194, 2)]
    [InlineData(270, 3)]
    [InlineData(262, 2)]
    public void Finds_the_MRZ_rows_and_their_direction_at_any_rotation(double angle, int rows)
    {
        using var page = DrawPage(angle, rows, mrzLength: rows == 3 ? 30 : 44);

        var band = MrzLocator.Locate(page);

        Assert.NotNull(band);
        var upright = band.LooksUpright ? band : band.Turned();
        Assert.Equal(rows, upright.Lines.Count);
        Assert.InRange(AngleDifference(upright.AngleDegrees, angle), 0, 1.5);
        var first = upright.Lines[0];
        Assert.InRange(first.Length / first.Pitch, (rows == 3 ? 30 : 44) - 3, (rows == 3 ? 30 : 44) + 1);
    }

    [Fact]
    public void A_page_without_MRZ_rows_gives_nothing()
    {
        using var page = DrawPage(0, rows: 0, mrzLength: 0);

        Assert.Null(MrzLocator.Locate(page));
    }

    [Fact]
    public void A_blank_page_gives_nothing()
    {
        using var page = GrayImage.Allocate(800, 600);
        page.Pixels.Fill(230);

        Assert.Null(MrzLocator.Locate(page));
    }

    private static double AngleDifference(double a, double b) => Math.Abs(((a - b) % 360 + 540) % 360 - 180);

    /// <summary>
    /// A 1000x1000 page turned by <paramref name="angle"/> about its centre: short irregular words above, then
    /// <paramref name="rows"/> evenly pitched rows of <paramref name="mrzLength"/> marks at the bottom.
    /// </summary>
    private static GrayImage DrawPage(double angle, int rows, int mrzLength)
    {
        const int pitch = 14, height = 18, width = 10;
        var marks = new List<(double X, double Y)>();
        var random = new Random(7);
        for (int line = 0; line < 6; line++)
        {
            double x = 250;
            while (x < 700)
            {
                int word = random.Next(3, 9);
                for (int c = 0; c < word; c++, x += pitch)
                {
                    marks.Add((x, 250 + (line * 40)));
                }

                x += pitch * random.Next(2, 4);
            }
        }

        for (int row = 0; row < rows; row++)
        {
            for (int c = 0; c < mrzLength; c++)
            {
                marks.Add((200 + (c * pitch), 600 + (row * 26)));
            }
        }

        var image = GrayImage.Allocate(1000, 1000);
        image.Pixels.Fill(235);
        double radians = angle * Math.PI / 180, cos = Math.Cos(radians), sin = Math.Sin(radians);
        foreach (var (mx, my) in marks)
        {
            // Each mark is a filled width x height box, turned with the page.
            for (double dy = -height / 2.0; dy <= height / 2.0; dy += 0.5)
            {
                for (double dx = -width / 2.0; dx <= width / 2.0; dx += 0.5)
                {
                    double px = mx + dx - 500, py = my + dy - 500;
                    int x = (int)Math.Round((px * cos) - (py * sin) + 500), y = (int)Math.Round((px * sin) + (py * cos) + 500);
                    if (x >= 0 && y >= 0 && x < 1000 && y < 1000)
                    {
                        image.Pixels[(y * 1000) + x] = 30;
                    }
                }
            }
        }

        return image;
    }
}
