namespace Verify.Contracts;

/// <summary>
/// Command: run the verification pipeline for an accepted submission. Carries references only; the images
/// stay in the encrypted blob store and never travel on the bus.
/// </summary>
/// <param name="VerificationId">The verification created by the upload API.</param>
/// <param name="SubjectId">The platform's opaque id of the person verifying.</param>
/// <param name="DocumentFrontBlobId">Encrypted blob of the document's front.</param>
/// <param name="DocumentBackBlobId">Encrypted blob of the document's back, when sent.</param>
/// <param name="SelfieBlobIds">Encrypted blobs of the selfie or its frames, in capture order.</param>
/// <param name="TemplateStorageConsented">Whether the subject allowed keeping a face template after success.</param>
public sealed record VerifyIdentity(
    Guid VerificationId,
    string SubjectId,
    Guid DocumentFrontBlobId,
    Guid? DocumentBackBlobId,
    IReadOnlyList<Guid> SelfieBlobIds,
    bool TemplateStorageConsented);
