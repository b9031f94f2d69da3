using Verify.Imaging;

namespace Verify.Synthetic;

/// <summary>One printed side of a synthetic document, before any capture effect, with where its parts are.</summary>
public sealed class RenderedSide : IDisposable
{
    /// <summary>"page" for a passport data page, "front" or "back" for a card.</summary>
    public required string Side { get; init; }

    /// <summary>The side at print resolution; owned by this object.</summary>
    public required RgbImage Image { get; init; }

    /// <summary>Millimetres of the physical side (width, height).</summary>
    public required (double Width, double Height) SizeMm { get; init; }

    /// <summary>The portrait, when this side has one.</summary>
    public DocumentRegion? Portrait { get; init; }

    /// <summary>The MRZ lines' bounding box (1 mm around the glyphs), when this side has an MRZ.</summary>
    public DocumentRegion? Mrz { get; init; }

    /// <summary>The barcode (a licence's PDF417, with its quiet zone), when this side has one.</summary>
    public DocumentRegion? Barcode { get; init; }

    /// <summary>The visual-zone fields as printed on this side, keyed by snake_case field name.</summary>
    public required IReadOnlyDictionary<string, string> Printed { get; init; }

    public void Dispose() => Image.Dispose();
}
