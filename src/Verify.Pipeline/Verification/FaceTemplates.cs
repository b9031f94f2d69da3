namespace Verify.Pipeline.Verification;

/// <summary>Conventions for stored face templates.</summary>
public static class FaceTemplates
{
    /// <summary>The encryption purpose of a template: its own row id, so a ciphertext copied to another row does not open.</summary>
    public static string Purpose(Guid templateId) => $"template:{templateId:N}";
}
