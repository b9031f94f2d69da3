namespace Verify.Data.Entities;

/// <summary>
/// The request bytes one client sent to the upload endpoints on one UTC day: the daily quota's counter, in the database so
/// every API instance counts against the same total. Codes and numbers only.
/// </summary>
public sealed class ClientUsage
{
    public required string ClientId { get; set; }

    /// <summary>The UTC day counted.</summary>
    public DateOnly Day { get; set; }

    public long RequestBytes { get; set; }
}
