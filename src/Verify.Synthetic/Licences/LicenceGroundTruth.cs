namespace Verify.Synthetic.Licences;

/// <summary>What a synthetic driver's licence is known to show: its barcode's fields, its printed front, and where its parts are.</summary>
public sealed record LicenceGroundTruth
{
    public required string Id { get; init; }

    /// <summary>The run's seed and this licence's index in it; together with the options they regenerate it.</summary>
    public required int Seed { get; init; }

    public required int Index { get; init; }

    /// <summary>The AAMVA version the barcode is written in (1 to 10).</summary>
    public required int Version { get; init; }

    /// <summary>The issuer identification number in the header.</summary>
    public required string Iin { get; init; }

    /// <summary>The state's or province's two-letter code.</summary>
    public required string Jurisdiction { get; init; }

    /// <summary>USA or CAN.</summary>
    public required string Country { get; init; }

    /// <summary>What the barcode should read as, field by field.</summary>
    public required LicenceBarcodeFields Barcode { get; init; }

    /// <summary>The barcode's error correction level, columns and module size as drawn.</summary>
    public required LicenceBarcodeLayout BarcodeLayout { get; init; }

    /// <summary>Whether the barcode carries a jurisdiction (Z) subfile after the DL subfile.</summary>
    public required bool JurisdictionSubfile { get; init; }

    /// <summary>How the front was altered; with <see cref="LicenceTamper.PrintedBirthDate"/> <see cref="Printed"/> has the altered
    /// birth date and <see cref="Barcode"/> the true one.</summary>
    public LicenceTamper Tamper { get; init; }

    /// <summary>The front's fields as printed (document_number, family_name, given_names, date_of_birth, date_of_issue, date_of_expiry, sex).</summary>
    public required IReadOnlyDictionary<string, string> Printed { get; init; }

    public required FaceSource Face { get; init; }

    public string Coordinates { get; init; } = DocumentGroundTruth.CoordinateSpace;

    /// <summary>The front's and the back's images.</summary>
    public required IReadOnlyList<ImageTruth> Images { get; init; }

    public override string ToString() => $"LicenceGroundTruth {{ Id = {Id}, Version = {Version}, Jurisdiction = {Jurisdiction} }}";
}
