using System.Runtime.InteropServices;
using Verify.Data.Entities;
using Verify.Data.Protection;
using Verify.Inference.Faces;

namespace Verify.Pipeline.Verification;

/// <summary>Conventions for stored face templates.</summary>
public static class FaceTemplates
{
    /// <summary>The encryption purpose of a template: its own row id, so a ciphertext copied to another row does not open.</summary>
    public static string Purpose(Guid templateId) => $"template:{templateId:N}";

    /// <summary>The decrypted embedding of a stored template, in memory only for as long as the caller holds it.</summary>
    public static FaceEmbedding Open(PayloadProtector protector, FaceTemplate template)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(template);
        byte[] plaintext = protector.Unprotect(template.Ciphertext, Purpose(template.Id));
        return new FaceEmbedding(template.ModelVersion, MemoryMarshal.Cast<byte, float>(plaintext).ToArray());
    }
}
