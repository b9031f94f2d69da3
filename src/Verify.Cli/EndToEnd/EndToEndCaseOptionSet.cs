using System.CommandLine;
using Verify.Cli.Commands;
using Verify.Synthetic;
using Verify.Synthetic.EndToEnd;

namespace Verify.Cli.EndToEnd;

/// <summary>
/// The options that choose generated end-to-end submissions (seed, capture, numbers, validity date, the selfies' size
/// and framing, the faces folder, the mix of kinds), shared by `verify evaluate-e2e` and `verify load --generate` so
/// that both send the same cases for the same options.
/// </summary>
internal sealed class EndToEndCaseOptionSet
{
    private readonly Option<int> _seed = new("--seed") { Description = "Seed; the same seed, date and options give the same cases.", DefaultValueFactory = _ => 1 };
    private readonly Option<string> _capture = new("--capture") { Description = "Capture effects on the document photos: mild or strong.", DefaultValueFactory = _ => "mild" };
    private readonly Option<string> _numbers = CommonOptions.DocumentNumbers("production");
    private readonly Option<DateOnly?> _validOn;
    private readonly Option<DirectoryInfo?> _faces = new("--faces") { Description = "LFW-layout faces folder (Person/Person_NNNN.jpg); default ../shared/data/lfw/images." };
    private readonly Option<int> _selfieSide = new("--selfie-side")
    {
        Description = "Long side in pixels the 250-pixel LFW photo is enlarged to before the selfie camera (250: not enlarged).",
        DefaultValueFactory = _ => SelfieFraming.DefaultSide,
    };

    private readonly Option<double> _framing = new("--selfie-framing")
    {
        Description = "The share of the face photo's width and height kept around its centre before enlarging (a selfie is framed on its subject); 1 keeps it whole.",
        DefaultValueFactory = _ => SelfieFraming.DefaultShare,
    };

    private readonly Option<string?> _mix;
    private readonly Option<string> _documentTypes;

    /// <param name="validOnDescription">What the validity date means for the command.</param>
    /// <param name="mixDescription">The --mix option's description, with the command's default.</param>
    /// <param name="defaultMix">The kinds when --mix is not given.</param>
    /// <param name="defaultDocumentTypes">The document types when --document-types is not given, e.g. passport,id_card.</param>
    public EndToEndCaseOptionSet(string validOnDescription, string mixDescription, EndToEndMix defaultMix, string defaultDocumentTypes)
    {
        _capture.AcceptOnlyFromAmong("mild", "strong");
        _validOn = new Option<DateOnly?>("--valid-on") { Description = validOnDescription };
        _mix = new Option<string?>("--mix") { Description = mixDescription };
        _documentTypes = new Option<string>("--document-types")
        {
            Description = $"The documents, in turn by case: passport, id_card, licence (AAMVA barcode), chip (ePassport DG1/DG2/SOD), separated by commas (default {defaultDocumentTypes}).",
            DefaultValueFactory = _ => defaultDocumentTypes,
        };
        DefaultMix = defaultMix;
    }

    public EndToEndMix DefaultMix { get; }

    /// <summary>--faces: also where `verify load --documents` finds its selfies.</summary>
    public Option<DirectoryInfo?> Faces => _faces;

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (Option option in new Option[] { _seed, _capture, _numbers, _validOn, _framing, _faces, _selfieSide, _mix, _documentTypes })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The generator's options for <paramref name="count"/> cases, or the error to print (an out-of-range selfie size or
    /// framing, a malformed mix, a faces folder that does not exist) and its exit code.
    /// </summary>
    public (EndToEndCaseOptions? Options, string? Error, int ExitCode) Build(ParseResult parse, int count)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(_selfieSide) is < 64 or > 4096 || parse.GetValue(_framing) is < 0.2 or > 1)
        {
            return (null, "--selfie-side must be 64 to 4096 and --selfie-framing 0.2 to 1.", ExitCodes.Usage);
        }

        EndToEndMix kinds;
        IReadOnlyList<EndToEndDocumentType> documentTypes;
        try
        {
            kinds = parse.GetValue(_mix) is { } weights ? EndToEndMix.Parse(weights) : DefaultMix;
        }
        catch (FormatException exception)
        {
            return (null, $"--mix: {exception.Message}", ExitCodes.Usage);
        }

        try
        {
            documentTypes = EndToEndDocumentTypes.Parse(parse.GetRequiredValue(_documentTypes));
        }
        catch (FormatException exception)
        {
            return (null, $"--document-types: {exception.Message}", ExitCodes.Usage);
        }

        string facesFolder = parse.GetValue(_faces)?.FullName ?? SamplesCommand.DefaultFacesFolder();
        if (!Directory.Exists(facesFolder))
        {
            return (null, $"{facesFolder} does not exist; pass --faces.", ExitCodes.BadInput);
        }

        return (new EndToEndCaseOptions
        {
            Documents = new SyntheticGeneratorOptions
            {
                FacesFolder = facesFolder,
                Capture = CaptureEffects.Preset(parse.GetRequiredValue(_capture))!,
                Numbers = CommonOptions.NumberStyle(parse.GetRequiredValue(_numbers)),
                Seed = parse.GetValue(_seed),
            },
            ValidOn = parse.GetValue(_validOn) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime),
            Count = count,
            SelfieSide = parse.GetValue(_selfieSide),
            SelfieFraming = parse.GetValue(_framing),
            Mix = kinds,
            DocumentTypes = documentTypes,
        }, null, ExitCodes.Success);
    }
}
