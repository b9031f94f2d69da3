using Verify.Documents.Mrz;
using Verify.Imaging;

namespace Verify.Synthetic.Attacks;

/// <summary>
/// The portrait printed on an identity card, photographed close up. The card is a synthetic TD1 front
/// (<see cref="DocumentRenderer.RenderCardFront"/>: security background, the portrait as document print, the holder's
/// fields) for an invented holder, drawn per image from these uniform ranges:
/// <list type="bullet">
/// <item>Framing: the portrait 0.50-0.68 of the frame's height (so the face is smaller and flatter than in a selfie), its
/// centre shifted up to 6% of the frame each way; the card's left edge and the fields beside the portrait often show.</item>
/// <item>Pose: roll up to 6 degrees, yaw and pitch up to 10.</item>
/// <item>Light: falloff of 4-16% across the frame; a glare spot on the laminate on 40% of cards (radius 15-35% of the
/// frame's width, peak 25-70 levels).</item>
/// <item>Recapture blur 0.50-1.20 frame pixels on top of the camera's own (close-up focus).</item>
/// </list>
/// </summary>
internal static class IdPortraitAttack
{
    public static AttackFrame Render(RgbImage photo, Random random, DocumentRenderer renderer)
    {
        int frameWidth = photo.Width, frameHeight = photo.Height;
        int sceneWidth = frameWidth * AttackScene.Supersampling, sceneHeight = frameHeight * AttackScene.Supersampling;
        double portraitShare = random.Uniform(0.50, 0.68);
        double shiftX = random.Symmetric(0.06), shiftY = random.Symmetric(0.06);
        double roll = random.Symmetric(6), yaw = random.Symmetric(10), pitch = random.Symmetric(10);
        double lightFalloff = random.Uniform(0.04, 0.16), lightAngle = random.Uniform(0, 2 * Math.PI);
        bool glare = random.Chance(0.4);
        double glareX = random.NextDouble(), glareY = random.NextDouble();
        double glareRadius = random.Uniform(0.15, 0.35), glareAspect = random.Uniform(0.5, 1.0), glareAngle = random.Uniform(0, 180);
        double glarePeak = random.Uniform(25, 70);
        double recaptureBlur = random.Uniform(0.50, 1.20);
        var holder = IdentitySampler.Sample(new Random(random.Next()), MrzFormat.Td1);

        using var card = renderer.RenderCardFront(holder, photo, new Random(random.Next()));
        var portrait = card.Portrait ?? throw new InvalidOperationException("A card front always has a portrait.");
        var pose = new MediumPose(
            (sceneWidth / 2.0) + (shiftX * sceneWidth),
            (sceneHeight / 2.0) + (shiftY * sceneHeight),
            portraitShare * sceneHeight / portrait.Height,
            roll, yaw, pitch);
        using var scene = AttackScene.Backdrop(frameWidth, frameHeight, random);
        AttackScene.Place(card.Image, pose, portrait.X + (portrait.Width / 2), portrait.Y + (portrait.Height / 2), scene);
        AttackScene.LightFalloff(scene, lightFalloff, lightAngle);
        if (glare)
        {
            double radius = glareRadius * sceneWidth;
            CaptureSimulator.AddGlare(scene, new GlareSpot(glareX * sceneWidth, glareY * sceneHeight, radius, radius * glareAspect, glareAngle, glarePeak));
        }

        return new AttackFrame(AttackScene.ToFrame(scene), recaptureBlur);
    }
}
