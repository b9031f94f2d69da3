namespace Verify.Inference.Quality;

/// <summary>The stable codes that <see cref="CaptureQuality"/> and <see cref="DocumentRecaptureSignals"/> report.</summary>
public static class QualityFailures
{
    /// <summary>The face's box is shorter than <see cref="CaptureQualityOptions.MinFaceSizePixels"/>.</summary>
    public const string FaceTooSmall = "face_too_small";

    /// <summary>The face is out of focus or smeared by motion.</summary>
    public const string Blur = "blur";

    /// <summary>The face is too bright or much of it is clipped white.</summary>
    public const string Overexposed = "overexposed";

    /// <summary>The face is too dark or much of it is clipped black.</summary>
    public const string Underexposed = "underexposed";

    /// <summary>The head is turned, tilted or rolled too far for a frontal selfie.</summary>
    public const string Pose = "pose";

    /// <summary>The face's box touches or crosses the edge of the image.</summary>
    public const string FaceCutOff = "face_cut_off";

    /// <summary>The document shows a periodic pattern, as a photo of a screen or of a halftone print does (for review).</summary>
    public const string DocumentScreenSuspected = "document_screen_suspected";

    /// <summary>The document has almost no colour, as a greyscale photocopy or print does (for review).</summary>
    public const string DocumentPhotocopySuspected = "document_photocopy_suspected";
}
