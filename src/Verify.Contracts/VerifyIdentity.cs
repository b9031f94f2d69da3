namespace Verify.Contracts;

/// <summary>
/// Command: run the verification pipeline for an accepted submission. Carries the verification id only: the images
/// stay in the encrypted blob store and the consent in the database, so nothing personal travels on the bus.
/// </summary>
/// <param name="VerificationId">The verification created by the upload API.</param>
public sealed record VerifyIdentity(Guid VerificationId);
