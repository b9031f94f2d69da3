namespace Verify.Documents.Aamva;

/// <summary>What reading a licence's barcode from a photo came to.</summary>
public enum AamvaBarcodeStatus
{
    /// <summary>A PDF417 was decoded and parsed as an AAMVA file (its findings may still flag fields).</summary>
    Read,

    /// <summary>No PDF417 could be decoded from the image.</summary>
    NotFound,

    /// <summary>A PDF417 was decoded, but it is not an AAMVA DL/ID file: <see cref="AamvaBarcodeScan.Parse"/> holds the error.</summary>
    NotAamva,
}

/// <summary>The outcome of <see cref="AamvaBarcodeReader.Read"/>.</summary>
/// <param name="Status">Read, not found, or not AAMVA.</param>
/// <param name="Parse">The parser's result; null when nothing was decoded.</param>
/// <param name="QuarterTurns">Clockwise quarter turns (0 to 3) that stand the symbol, and so the licence's back, upright.</param>
/// <param name="FromRegion">Whether it was decoded from the barcode-like region rather than the whole image.</param>
public sealed record AamvaBarcodeScan(AamvaBarcodeStatus Status, AamvaParseResult? Parse, int QuarterTurns, bool FromRegion)
{
    public static AamvaBarcodeScan NotFound { get; } = new(AamvaBarcodeStatus.NotFound, null, 0, false);

    /// <summary>The reading, when the barcode parsed.</summary>
    public AamvaReading? Reading => Parse?.Reading;

    // The barcode's data is personal: ToString gives the outcome and the parser's error only.
    public override string ToString() =>
        $"AamvaBarcodeScan {{ Status = {Status}, Error = {Parse?.Error}, QuarterTurns = {QuarterTurns}, FromRegion = {FromRegion} }}";
}
