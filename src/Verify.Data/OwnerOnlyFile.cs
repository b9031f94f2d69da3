namespace Verify.Data;

/// <summary>Creates files that only their owner can read (keys, encrypted blobs), permissions set before any byte is written.</summary>
internal static class OwnerOnlyFile
{
    /// <summary>Opens a new file for writing; fails if it exists.</summary>
    public static FileStream CreateNew(string path, bool asynchronous = false)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Options = asynchronous ? FileOptions.Asynchronous : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
