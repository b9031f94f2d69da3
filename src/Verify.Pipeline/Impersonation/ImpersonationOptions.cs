using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Impersonation;

/// <summary>How impersonation reports are assessed (the upper threshold is the verification's: Faces:Matching:FalseAcceptRate).</summary>
public sealed class ImpersonationOptions
{
    public const string SectionName = "Impersonation";

    /// <summary>
    /// The calibrated operating point whose threshold is the lower bound: a best score below it suggests
    /// <c>likely_not</c>. It must be one of the matcher's calibrated false accept rates and above the verification's
    /// (default 1e-2: on LFW DevTrain 0.41 % of genuine pairs score below it, on DevTest 0.51 %; docs/api.md).
    /// </summary>
    [Range(1e-6, 0.1)]
    public double LikelyNotFalseAcceptRate { get; set; } = 0.01;

    /// <summary>Faces compared per image at most, the largest first (a crowd photo must not cost a hundred embeddings).</summary>
    [Range(1, 50)]
    public int MaxFacesPerImage { get; set; } = 10;
}
