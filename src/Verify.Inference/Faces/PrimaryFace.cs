namespace Verify.Inference.Faces;

/// <summary>Chooses the face a photo is about when it shows several.</summary>
public static class PrimaryFace
{
    /// <summary>
    /// The most central of the prominent faces (those at least half the size of the largest): bystanders are
    /// smaller or off-centre, and the ghost image on an ID card is much smaller than its portrait.
    /// </summary>
    public static int Select(IReadOnlyList<FaceDetection> faces, int imageWidth, int imageHeight)
    {
        if (faces.Count == 0)
        {
            return -1;
        }

        float largest = faces.Max(face => face.Size);
        float centreX = imageWidth / 2f, centreY = imageHeight / 2f;
        int best = -1;
        float bestDistance = float.MaxValue;
        for (int i = 0; i < faces.Count; i++)
        {
            if (faces[i].Size < largest / 2)
            {
                continue;
            }

            var centre = faces[i].Box.Centre;
            float distance = ((centre.X - centreX) * (centre.X - centreX)) + ((centre.Y - centreY) * (centre.Y - centreY));
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = i;
            }
        }

        return best;
    }
}
