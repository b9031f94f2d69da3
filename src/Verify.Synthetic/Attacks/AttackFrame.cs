using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>What an attack puts before the selfie camera, at the frame's size, and how far out of focus the camera sees it.</summary>
internal readonly record struct AttackFrame(RgbImage Image, double RecaptureBlurSigma);
