using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Verify.Documents.Mrz;

namespace Verify.Synthetic;

/// <summary>What a synthetic document is known to show, written as &lt;id&gt;.json beside its images.</summary>
/// <remarks>
/// Image coordinates are in the displayed orientation: after the EXIF orientation is applied, in pixels, with (0, 0)
/// the top-left corner of the top-left pixel. Corner lists run top-left, top-right, bottom-right, bottom-left of the
/// document as printed, so a turned document has its top-left corner elsewhere than the image's.
/// </remarks>
public sealed record DocumentGroundTruth
{
    public const string CoordinateSpace =
        "displayed: pixels after the EXIF orientation is applied, (0,0) the top-left corner of the top-left pixel; " +
        "corners run top-left, top-right, bottom-right, bottom-left of the document as printed";

    public required string Id { get; init; }

    /// <summary>td1 or td3.</summary>
    public required string Kind { get; init; }

    /// <summary>The run's seed and this document's index in it; together they regenerate the document.</summary>
    public required int Seed { get; init; }

    public required int Index { get; init; }

    public required MrzIdentity Identity { get; init; }

    public required IReadOnlyList<string> MrzLines { get; init; }

    /// <summary>Every printed field, as printed, over all sides.</summary>
    public required IReadOnlyDictionary<string, string> Printed { get; init; }

    public required FaceSource Face { get; init; }

    public string Coordinates { get; init; } = CoordinateSpace;

    public required IReadOnlyList<ImageTruth> Images { get; init; }

    /// <summary>snake_case names and enum values, dates as yyyy-MM-dd; MRZ fillers and diacritics written as themselves.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        // The files are data for tools, never embedded in HTML, so '<' and 'É' need no escaping.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}

/// <summary>The face photo printed as the portrait; evaluation should compare the portrait with a different photo of the same person.</summary>
/// <param name="Person">The person's folder name.</param>
/// <param name="File">The photo used, relative to the faces folder.</param>
/// <param name="PhotoCount">How many photos the person has (at least 2).</param>
public sealed record FaceSource(string Person, string File, int PhotoCount);

/// <summary>One image file of a document and where the document's parts are in it.</summary>
public sealed record ImageTruth
{
    public required string File { get; init; }

    /// <summary>page (TD3), front or back (TD1).</summary>
    public required string Side { get; init; }

    /// <summary>Displayed size (after EXIF).</summary>
    public required int Width { get; init; }

    public required int Height { get; init; }

    /// <summary>Size of the stored pixels (before EXIF).</summary>
    public required int StoredWidth { get; init; }

    public required int StoredHeight { get; init; }

    public required double[][] DocumentCorners { get; init; }

    public double[][]? PortraitCorners { get; init; }

    public double[][]? MrzCorners { get; init; }

    public required CaptureDraw Capture { get; init; }

    /// <summary>The truth of one captured side, written as <paramref name="file"/>.</summary>
    internal static ImageTruth Of(string file, string side, CapturedImage captured) => new()
    {
        File = file,
        Side = side,
        Width = captured.Width,
        Height = captured.Height,
        StoredWidth = captured.StoredWidth,
        StoredHeight = captured.StoredHeight,
        DocumentCorners = Points(captured.DocumentCorners)!,
        PortraitCorners = Points(captured.PortraitCorners),
        MrzCorners = Points(captured.MrzCorners),
        Capture = captured.Settings,
    };

    private static double[][]? Points((double X, double Y)[]? points) => points?.Select(p => new[] { p.X, p.Y }).ToArray();

    /// <summary>Whether (x, y) lies inside the printed portrait's quadrilateral (convex: on the same side of all four edges).</summary>
    public bool PortraitContains(double x, double y)
    {
        if (PortraitCorners is not { Length: > 2 } quad)
        {
            return false;
        }

        int sign = 0;
        for (int i = 0; i < quad.Length; i++)
        {
            var (a, b) = (quad[i], quad[(i + 1) % quad.Length]);
            int side = Math.Sign(((b[0] - a[0]) * (y - a[1])) - ((b[1] - a[1]) * (x - a[0])));
            if (side != 0 && sign != 0 && side != sign)
            {
                return false;
            }

            sign = side == 0 ? sign : side;
        }

        return true;
    }
}

/// <summary>The list of documents in an output folder, written as manifest.json.</summary>
public sealed record SyntheticManifest
{
    public required int Seed { get; init; }

    public required string Kind { get; init; }

    public required string Capture { get; init; }

    /// <summary>The document number style, hard or production; hard in manifests written before the style existed.</summary>
    public string Numbers { get; init; } = "hard";

    public required int Count { get; init; }

    public string Coordinates { get; init; } = DocumentGroundTruth.CoordinateSpace;

    public required IReadOnlyList<ManifestItem> Items { get; init; }
}

/// <summary>One document in the manifest.</summary>
public sealed record ManifestItem(string Id, string Kind, string GroundTruth, IReadOnlyList<string> Images, string Person);
