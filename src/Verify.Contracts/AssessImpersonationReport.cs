namespace Verify.Contracts;

/// <summary>
/// Command: compare an accepted impersonation report's images with the claimed subject's consented templates. Carries
/// the report id only: the images stay in the encrypted blob store, so nothing personal travels on the bus.
/// </summary>
/// <param name="ReportId">The report created by the upload API.</param>
public sealed record AssessImpersonationReport(Guid ReportId);
