using System.ComponentModel.DataAnnotations;

namespace Verify.Documents.Checks;

/// <summary>Settings of the document checks.</summary>
public sealed class DocumentCheckOptions
{
    public const string SectionName = "Documents:Checks";

    /// <summary>The youngest age, in whole years, that passes.</summary>
    [Range(0, 150)]
    public int MinimumAge { get; set; } = 18;

    /// <summary>Accept the ICAO specimen state UTO as issuing state and nationality; for tests and demonstrations only.</summary>
    public bool AllowSpecimenCodes { get; set; }
}
