namespace Verify.Pipeline.Duplicates;

/// <summary>
/// Which other subject of the same client a verification collides with, as its result reports it for the reviewer:
/// subject ids and the face score only, never the document or the face.
/// </summary>
/// <param name="DocumentSubjectId">The subject the document is already verified for (duplicate_identity:document).</param>
/// <param name="FaceSubjectId">The subject whose template the selfie matched (duplicate_identity:face).</param>
/// <param name="FaceScore">The cosine similarity of that match.</param>
/// <param name="FaceThreshold">The 1:N threshold it reached.</param>
public sealed record DuplicateFinding(string? DocumentSubjectId, string? FaceSubjectId, double? FaceScore, double? FaceThreshold);
