using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// Turns a bona fide face photograph into a simulated presentation attack (a print, a screen replay, an ID card's
/// portrait) as a selfie camera would capture it, for measuring passive-liveness models per attack type
/// (ISO/IEC 30107-3 APCER); deterministic for a given random source.
/// </summary>
/// <remarks>
/// Made for face-centred crops such as LFW's (150 or 250 pixels square); every output has the input's width and height
/// and keeps the face near the centre. Attack and bona fide images end in the same <see cref="SelfieCamera"/> stage
/// (exposure, white balance, blur, noise, one JPEG encoding at quality 70-92), so that only the attack's own artefacts
/// tell them apart. The effects are moderate: visible on a close look, not gross. Not thread-safe (the ID portrait
/// uses FreeType faces); use one simulator per thread.
/// </remarks>
public sealed class PresentationAttackSimulator : IDisposable
{
    /// <summary>The smallest width and height accepted: below it an attack's structure no longer fits in the frame.</summary>
    public const int MinimumSide = 32;

    private DocumentFonts? _fonts;
    private DocumentRenderer? _renderer;
    private bool _disposed;

    /// <summary>Every attack type, in the order reports list them.</summary>
    public static IReadOnlyList<PresentationAttackType> All { get; } =
        [PresentationAttackType.Print, PresentationAttackType.ScreenReplay, PresentationAttackType.IdPortrait];

    /// <summary>
    /// The random source for image <paramref name="imageIndex"/> of a run seeded with <paramref name="seed"/>: one
    /// independent stream per attack type and one for the bona fide capture (<paramref name="type"/> null), so that a
    /// run is reproducible image by image and adding a type changes no other image.
    /// </summary>
    public static Random RandomFor(int seed, int imageIndex, PresentationAttackType? type)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(imageIndex);
        return new Random(RandomStreams.Seed(seed, imageIndex, type is { } attack ? 1 + (int)attack : 0));
    }

    /// <summary>
    /// A new image of <paramref name="bonaFide"/>'s size: the photograph presented as a <paramref name="type"/> attack and
    /// captured by a selfie camera. The input is left as it is; the caller owns and disposes the result. See
    /// <c>PrintAttack</c>, <c>ScreenReplayAttack</c> and <c>IdPortraitAttack</c> for the ranges each draws from.
    /// </summary>
    public RgbImage Simulate(RgbImage bonaFide, PresentationAttackType type, Random random)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckInput(bonaFide, random);
        var camera = SelfieCamera.Draw(random);
        var frame = type switch
        {
            PresentationAttackType.Print => PrintAttack.Render(bonaFide, random),
            PresentationAttackType.ScreenReplay => ScreenReplayAttack.Render(bonaFide, random),
            PresentationAttackType.IdPortrait => IdPortraitAttack.Render(bonaFide, random, Renderer()),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a presentation attack type."),
        };
        using (frame.Image)
        {
            return camera.Capture(frame.Image, frame.RecaptureBlurSigma);
        }
    }

    /// <summary>
    /// A new image of <paramref name="bonaFide"/>'s size: the photograph as an honest selfie camera takes it, with only the
    /// camera stage that attacks also go through (exposure 0.90-1.10, white balance 0.96-1.04 a channel, blur sigma
    /// 0.3-0.7, noise sigma 1.5-4.0, JPEG quality 70-92). The input is left as it is; the caller owns the result.
    /// </summary>
    public static RgbImage CaptureBonaFide(RgbImage bonaFide, Random random)
    {
        CheckInput(bonaFide, random);
        return SelfieCamera.Draw(random).Capture(bonaFide);
    }

    public void Dispose()
    {
        _disposed = true;
        _fonts?.Dispose();
        _fonts = null;
        _renderer = null;
    }

    private DocumentRenderer Renderer()
    {
        // The fonts are loaded only once an ID portrait is asked for: the other attacks print no text.
        _fonts ??= DocumentFonts.Load();
        return _renderer ??= new DocumentRenderer(_fonts);
    }

    private static void CheckInput(RgbImage bonaFide, Random random)
    {
        ArgumentNullException.ThrowIfNull(bonaFide);
        ArgumentNullException.ThrowIfNull(random);
        if (bonaFide.Width < MinimumSide || bonaFide.Height < MinimumSide)
        {
            throw new ArgumentException($"A {bonaFide.Width}x{bonaFide.Height} photograph is too small to simulate; both sides must be at least {MinimumSide} pixels.", nameof(bonaFide));
        }
    }
}
