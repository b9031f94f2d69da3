using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// How a flat attack medium (a print, a phone, a card) is held in front of the camera: where its anchor point lands
/// in the frame, how large it appears there, and how far it is turned about each axis.
/// </summary>
/// <param name="CentreX">Frame x of the medium's anchor point, in frame pixels.</param>
/// <param name="CentreY">Frame y of the medium's anchor point.</param>
/// <param name="Scale">Frame pixels per medium pixel at the anchor point.</param>
/// <param name="RollDegrees">Turn in the image plane, clockwise positive.</param>
/// <param name="YawDegrees">Turn about the medium's vertical axis (its right side moves away when positive).</param>
/// <param name="PitchDegrees">Turn about the medium's horizontal axis (its bottom moves away when positive).</param>
internal readonly record struct MediumPose(double CentreX, double CentreY, double Scale, double RollDegrees, double YawDegrees, double PitchDegrees)
{
    /// <summary>
    /// Focal length of the pinhole, in frame widths. A face crop is about half of a selfie camera's view, so the
    /// perspective of a tilted medium is mild.
    /// </summary>
    public const double FocalInFrameWidths = 1.5;

    /// <summary>
    /// The map from medium coordinates to frame coordinates (both continuous: (0, 0) is the top-left corner of the top-left
    /// pixel) for a <paramref name="width"/> x <paramref name="height"/> medium anchored at (<paramref name="anchorX"/>,
    /// <paramref name="anchorY"/>), seen by a pinhole camera whose frame is <paramref name="frameWidth"/> pixels wide.
    /// </summary>
    public Homography MediumToFrame(double width, double height, double anchorX, double anchorY, double frameWidth)
    {
        double focal = FocalInFrameWidths * frameWidth;
        double roll = Radians(RollDegrees), yaw = Radians(YawDegrees), pitch = Radians(PitchDegrees);
        (double X, double Y)[] corners = [(0, 0), (width, 0), (width, height), (0, height)];
        var projected = new (double X, double Y)[4];
        for (int i = 0; i < 4; i++)
        {
            // The medium at the anchor's distance, turned about its vertical axis (yaw), then its horizontal one
            // (pitch); "farther" is how much farther from the camera than the anchor a corner ends up.
            double x = (corners[i].X - anchorX) * Scale, y = (corners[i].Y - anchorY) * Scale;
            double turnedX = x * Math.Cos(yaw), farther = x * Math.Sin(yaw);
            double turnedY = (y * Math.Cos(pitch)) - (farther * Math.Sin(pitch));
            farther = (y * Math.Sin(pitch)) + (farther * Math.Cos(pitch));
            double projectedX = focal * turnedX / (focal + farther), projectedY = focal * turnedY / (focal + farther);
            projected[i] = (
                CentreX + (projectedX * Math.Cos(roll)) - (projectedY * Math.Sin(roll)),
                CentreY + (projectedX * Math.Sin(roll)) + (projectedY * Math.Cos(roll)));
        }

        return Homography.FromQuad(corners, projected);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
