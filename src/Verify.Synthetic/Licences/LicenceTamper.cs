namespace Verify.Synthetic.Licences;

/// <summary>How a synthetic licence's front is altered against its barcode, to test the cross-check between them.</summary>
public enum LicenceTamper
{
    /// <summary>A genuine licence: the front prints what the barcode encodes.</summary>
    None,

    /// <summary>The front prints another plausible birth date (same format, a few years off); the barcode keeps the true one.</summary>
    PrintedBirthDate,
}
