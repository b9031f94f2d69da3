using System.ComponentModel.DataAnnotations;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Duplicates;

/// <summary>The 1:N face search behind <c>duplicate_identity:face</c>, and how the index of templates it searches is kept current.</summary>
public sealed class DuplicateSearchOptions
{
    public const string SectionName = "Duplicates";

    /// <summary>Search the client's other subjects' templates for the selfie of every decision that could end in a badge (the document check always runs).</summary>
    public bool FaceSearch { get; set; } = true;

    /// <summary>The embedder whose templates are searched; the configured matcher must compute its embedding (fr-feature: the default matcher, and part of the fusion).</summary>
    [Required]
    public string FaceModel { get; set; } = ArcFaceEmbedder.Id;

    /// <summary>
    /// The false accept rate per comparison whose calibrated threshold (in the model's manifest) calls two faces one
    /// person. A search compares with every template of the client, so false duplicates grow with their number: this
    /// is far stricter than the 1:1 rate (Faces:Matching:FalseAcceptRate, 1e-3). See docs/evaluation.md.
    /// </summary>
    [Range(1e-7, 1e-2)]
    public double FaceFalseAcceptRate { get; set; } = 1e-6;

    /// <summary>Threads one search of a large gallery may use; 1 leaves the other cores to the verifications running beside it.</summary>
    [Range(1, 64)]
    public int SearchThreads { get; set; } = 1;

    /// <summary>How often the index is reconciled with the database: templates an event did not bring, deleted or expired ones.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromMinutes(5);
}
