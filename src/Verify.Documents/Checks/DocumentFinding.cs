namespace Verify.Documents.Checks;

/// <summary>What a finding asks for.</summary>
public enum FindingSeverity
{
    /// <summary>A person should look at the document.</summary>
    Review,

    /// <summary>The document cannot be accepted.</summary>
    Reject,
}

/// <summary>One outcome of the document checks: a stable snake_case code, its severity and the field it concerns.
/// It never carries names, numbers or dates.</summary>
/// <param name="Code">Stable code such as document_expired or check_digit_failed.</param>
/// <param name="Severity">Reject or review.</param>
/// <param name="Field">The snake_case field name, where the finding concerns one field.</param>
public sealed record DocumentFinding(string Code, FindingSeverity Severity, string? Field = null);
