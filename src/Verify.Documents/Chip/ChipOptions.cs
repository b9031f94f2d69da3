namespace Verify.Documents.Chip;

/// <summary>Settings of ePassport chip authentication.</summary>
public sealed class ChipOptions
{
    public const string SectionName = "Documents:Chip";

    /// <summary>The folder of CSCA certificates, ICAO master lists and CRLs to trust; null (the default) trusts no CSCA,
    /// so every chip goes to review as <c>chip_csca_unknown</c>.</summary>
    public string? TrustStore { get; set; }
}
