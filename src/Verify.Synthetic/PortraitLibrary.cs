namespace Verify.Synthetic;

/// <summary>One face photograph chosen for a document portrait.</summary>
/// <param name="Person">The person's folder name (LFW: First_Last).</param>
/// <param name="File">The photo, relative to the faces folder, with forward slashes.</param>
/// <param name="FullPath">The photo on disk.</param>
/// <param name="PhotoCount">How many photos the person has; at least 2, so another one can serve as the selfie.</param>
public sealed record PortraitPhoto(string Person, string File, string FullPath, int PhotoCount);

/// <summary>
/// The people of an LFW-layout faces folder (Person/Person_NNNN.jpg) who have at least two photos, so that a
/// document portrait can be compared against a different photo of the same person. Photos are read in place.
/// </summary>
public sealed class PortraitLibrary
{
    private readonly string _root;
    private readonly (string Person, string[] Photos)[] _people;
    private readonly Dictionary<string, int> _indexOf;

    private PortraitLibrary(string root, (string Person, string[] Photos)[] people)
    {
        _root = root;
        _people = people;
        _indexOf = people.Select((person, index) => (person.Person, index)).ToDictionary(p => p.Person, p => p.index, StringComparer.Ordinal);
    }

    /// <summary>How many people qualify.</summary>
    public int Count => _people.Length;

    /// <summary>Scans the folder; names are sorted ordinally so that a seed picks the same photo on every machine.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidOperationException">Nobody in it has two photos.</exception>
    public static PortraitLibrary Open(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Faces folder not found: {root} (expected Person/Person_NNNN.jpg, as in LFW).");
        }

        var people = Directory.EnumerateDirectories(root)
            .Select(folder => (Person: Path.GetFileName(folder), Photos: Directory.EnumerateFiles(folder, "*.jpg")
                .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()))
            .Where(person => person.Photos.Length >= 2)
            .OrderBy(person => person.Person, StringComparer.Ordinal)
            .ToArray();
        if (people.Length == 0)
        {
            throw new InvalidOperationException($"No one in {root} has two or more photos; the portrait needs a second photo to compare with.");
        }

        return new PortraitLibrary(root, people);
    }

    /// <summary>Picks a person and one of their photos.</summary>
    public PortraitPhoto Pick(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (person, photos) = _people[random.Next(_people.Length)];
        return Photo(person, photos[random.Next(photos.Length)], photos.Length);
    }

    /// <summary>Another photo of <paramref name="person"/> than <paramref name="file"/> (a path as <see cref="PortraitPhoto.File"/> gives it).</summary>
    /// <exception cref="ArgumentException">The person is not in the library.</exception>
    public PortraitPhoto OtherPhotoOf(string person, string file, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var photos = PhotosOf(person);
        string excluded = Path.GetFileName(file);
        var others = photos.Where(photo => !string.Equals(photo, excluded, StringComparison.Ordinal)).ToArray();
        return Photo(person, others[random.Next(others.Length)], photos.Length);
    }

    /// <summary>A photo of anyone but <paramref name="person"/>.</summary>
    public PortraitPhoto PickOtherThan(string person, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        int excluded = _indexOf.TryGetValue(person, out int index) ? index : -1;
        int pick = random.Next(excluded < 0 ? _people.Length : _people.Length - 1);
        if (excluded >= 0 && pick >= excluded)
        {
            pick++;
        }

        var (other, photos) = _people[pick];
        return Photo(other, photos[random.Next(photos.Length)], photos.Length);
    }

    private string[] PhotosOf(string person) => _indexOf.TryGetValue(person, out int index)
        ? _people[index].Photos
        : throw new ArgumentException($"{person} is not among the people with two or more photos.", nameof(person));

    private PortraitPhoto Photo(string person, string photo, int count) =>
        new(person, $"{person}/{photo}", Path.Combine(_root, person, photo), count);
}
