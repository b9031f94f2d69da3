using System.Text.Json;
using Verify.Imaging;

namespace Verify.Synthetic.Licences;

/// <summary>One generated licence: its ground truth and the photos of its front and back (JPEG).</summary>
public sealed record SyntheticLicence(LicenceGroundTruth GroundTruth, byte[] Front, byte[] Back)
{
    public override string ToString() => $"SyntheticLicence {{ {GroundTruth} }}";
}

/// <summary>
/// Generates synthetic US and Canadian driver's licences with a valid AAMVA PDF417 on the back and the portrait on the
/// front, photographed through the same <see cref="CaptureSimulator"/> as the identity cards. Licence <c>i</c> depends
/// only on the options (faces, capture, seed, valid-on date) and <c>i</c>.
/// </summary>
/// <remarks>Not thread-safe (it owns FreeType faces); use one generator per thread.</remarks>
public sealed class SyntheticLicenceGenerator : IDisposable
{
    // Streams 64 (the holder), 65 (the print), 66 and 67 (the captures of the front and the back): apart from the
    // document generator's 0 to 3 and 255, so that licence i of a seed shares no draws with document i of that seed.
    private const int LicenceStreams = 64;

    private readonly SyntheticGeneratorOptions _options;
    private readonly PortraitLibrary _portraits;
    private readonly DocumentFonts _fonts;
    private readonly LicenceRenderer _renderer;
    private readonly ImageDecoder _decoder = new();

    public SyntheticLicenceGenerator(SyntheticGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _portraits = PortraitLibrary.Open(options.FacesFolder);
        _fonts = DocumentFonts.Load();
        _renderer = new LicenceRenderer(_fonts);
    }

    public SyntheticGeneratorOptions Options => _options;

    /// <summary>Generates licence number <paramref name="index"/> of the run.</summary>
    public SyntheticLicence Generate(int index) => Generate(index, LicenceTamper.None);

    /// <summary>
    /// Generates licence number <paramref name="index"/> of the run, its front altered as <paramref name="tamper"/> says;
    /// the barcode, the portrait and the capture are those of the genuine licence <paramref name="index"/>.
    /// </summary>
    public SyntheticLicence Generate(int index, LicenceTamper tamper)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        string id = $"dl-{_options.Seed}-{index:D4}";
        var holderRandom = new Random(StreamSeed(index, 0));
        var identity = _options.ValidOn is { } validOn ? LicenceSampler.SampleValidOn(holderRandom, validOn) : LicenceSampler.Sample(holderRandom);
        bool jurisdictionSubfile = holderRandom.NextDouble() < 0.5;
        var portrait = _portraits.Pick(holderRandom);
        using var photo = _decoder.Decode(File.ReadAllBytes(portrait.FullPath));
        var printRandom = new Random(StreamSeed(index, 1));
        string text = AamvaComposer.Compose(identity, jurisdictionSubfile);
        var printedIdentity = tamper == LicenceTamper.PrintedBirthDate
            ? identity with { BirthDate = OtherBirthDate(identity, new Random(StreamSeed(index, 4))) }
            : identity;
        using var front = _renderer.RenderFront(printedIdentity, photo, printRandom);
        var (back, layout) = _renderer.RenderBack(identity, text, printRandom);
        using (back)
        {
            var frontShot = CaptureSimulator.Capture(front, _options.Capture, new Random(StreamSeed(index, 2)));
            var backShot = CaptureSimulator.Capture(back, _options.Capture, new Random(StreamSeed(index, 3)));
            var truth = new LicenceGroundTruth
            {
                Id = id,
                Seed = _options.Seed,
                Index = index,
                Version = identity.Version,
                Iin = identity.Iin,
                Jurisdiction = identity.Issuer.Code,
                Country = identity.Issuer.Country,
                Barcode = AamvaComposer.Expected(identity),
                BarcodeLayout = layout,
                JurisdictionSubfile = jurisdictionSubfile,
                Tamper = tamper,
                Printed = front.Printed,
                Face = new FaceSource(portrait.Person, portrait.File, portrait.PhotoCount),
                Images = [ImageTruth.Of($"{id}-front.jpg", "front", frontShot), ImageTruth.Of($"{id}-back.jpg", "back", backShot)],
            };
            return new SyntheticLicence(truth, frontShot.Jpeg, backShot.Jpeg);
        }
    }

    /// <summary>Generates licences 0 to <paramref name="count"/> - 1 into <paramref name="folder"/>: two photos and a ground truth JSON each.</summary>
    public IReadOnlyList<LicenceGroundTruth> WriteBatch(string folder, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Directory.CreateDirectory(folder);
        var written = new List<LicenceGroundTruth>();
        for (int index = 0; index < count; index++)
        {
            var licence = Generate(index);
            var truth = licence.GroundTruth;
            File.WriteAllBytes(Path.Combine(folder, truth.Images[0].File), licence.Front);
            File.WriteAllBytes(Path.Combine(folder, truth.Images[1].File), licence.Back);
            File.WriteAllText(Path.Combine(folder, $"{truth.Id}.json"), JsonSerializer.Serialize(truth, DocumentGroundTruth.JsonOptions));
            written.Add(truth);
        }

        return written;
    }

    public void Dispose() => _fonts.Dispose();

    /// <summary>
    /// A birth date two to six years from the holder's, either way, that the licence could have printed: the holder still
    /// of driving age (16) when it was issued. Month and day move too, so no field of the date survives by chance.
    /// </summary>
    internal static DateOnly OtherBirthDate(LicenceIdentity identity, Random random)
    {
        int years = random.Next(2, 7) * (random.NextDouble() < 0.5 ? -1 : 1);
        var other = identity.BirthDate.AddYears(years).AddDays(random.Next(20, 120) * Math.Sign(years));
        return other.AddYears(16) <= identity.IssueDate ? other : identity.BirthDate.AddYears(-Math.Abs(years)).AddDays(-random.Next(20, 120));
    }

    private int StreamSeed(int index, int stream) => RandomStreams.Seed(_options.Seed, index, LicenceStreams + stream);
}
