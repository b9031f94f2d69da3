using Verify.Imaging;

namespace Verify.Inference.Faces;

/// <summary>Finds every face in an image, with five landmarks each.</summary>
public interface IFaceDetector
{
    string ModelVersion { get; }

    /// <summary>
    /// The long side, in pixels, that a whole-image pass reduces an image to: detecting on an image already reduced to
    /// this side finds the same faces (a caller that turns or searches an image several times can reduce it once).
    /// </summary>
    int WholeImageSide { get; }

    /// <summary>
    /// All faces above the score threshold, best first. <paramref name="minFaceSize"/> (pixels) asks for
    /// faces smaller than a whole-image pass resolves, such as the portrait on a photographed ID card;
    /// the image is then also searched tile by tile at higher scales, within a bounded number of tiles.
    /// Cancelling stops the model run under way (and the tiles not yet searched) with an <see cref="OperationCanceledException"/>.
    /// </summary>
    IReadOnlyList<FaceDetection> Detect(RgbImage image, int? minFaceSize = null, CancellationToken cancellationToken = default);
}
