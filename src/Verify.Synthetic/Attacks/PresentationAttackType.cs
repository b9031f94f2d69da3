namespace Verify.Synthetic.Attacks;

/// <summary>A kind of presentation attack (an ISO/IEC 30107-3 attack instrument species) that the simulator produces.</summary>
public enum PresentationAttackType
{
    /// <summary>The photograph printed on paper and held up to the camera (<c>print</c>).</summary>
    Print,

    /// <summary>The photograph shown on a phone or monitor screen held up to the camera (<c>screen_replay</c>).</summary>
    ScreenReplay,

    /// <summary>The printed portrait of an identity card photographed close up (<c>id_portrait</c>).</summary>
    IdPortrait,
}

/// <summary>The stable snake_case names of the <see cref="PresentationAttackType"/>s, as reports and file names use them.</summary>
public static class PresentationAttackTypeNames
{
    /// <summary>The snake_case name: <c>print</c>, <c>screen_replay</c> or <c>id_portrait</c>.</summary>
    public static string ToName(this PresentationAttackType type) => type switch
    {
        PresentationAttackType.Print => "print",
        PresentationAttackType.ScreenReplay => "screen_replay",
        PresentationAttackType.IdPortrait => "id_portrait",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a presentation attack type."),
    };

    /// <summary>The type of that snake_case name; false for any other text.</summary>
    public static bool TryParse(string? name, out PresentationAttackType type)
    {
        foreach (var candidate in Enum.GetValues<PresentationAttackType>())
        {
            if (string.Equals(candidate.ToName(), name, StringComparison.Ordinal))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
