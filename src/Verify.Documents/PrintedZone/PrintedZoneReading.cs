namespace Verify.Documents.PrintedZone;

/// <summary>The fields read from the visual inspection zone of a document; null where the zone does not show them or OCR missed them.</summary>
public sealed record PrintedZoneReading(
    string? Surname,
    string? GivenNames,
    DateOnly? BirthDate,
    string? DocumentNumber,
    DateOnly? ExpiryDate)
{
    // Printed names, numbers and dates are personal data: ToString says only which fields were found.
    public override string ToString() =>
        $"PrintedZoneReading {{ Surname = {Surname is not null}, GivenNames = {GivenNames is not null}, BirthDate = {BirthDate is not null}, DocumentNumber = {DocumentNumber is not null}, ExpiryDate = {ExpiryDate is not null} }}";
}
