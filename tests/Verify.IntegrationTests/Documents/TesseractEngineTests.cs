using Verify.Documents.Ocr;
using Verify.Documents.Reading;
using Verify.Imaging;
using Verify.Imaging.Text;
using Verify.IntegrationTests.Fixtures;

namespace Verify.IntegrationTests.Documents;

/// <summary>The thin interop over Debian's libtesseract5, with the pinned traineddata.</summary>
[Trait(TestCategories.Name, TestCategories.Model)]
public sealed class TesseractEngineTests
{
    private const string Line = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";

    private static string TessData => Path.Combine(TestPaths.RepoRoot, ".deps", "models", "tessdata");

    [Fact]
    public void The_OCR_B_model_reads_a_clean_MRZ_line()
    {
        using var engine = new TesseractEngine(new TesseractSetup(TessData, "ocrb_int", TesseractEngineMode.Lstm, PageSegmentation.RawLine, MrzReader.Alphabet));
        using var image = RenderLine(Line);

        var text = engine.Recognize(image);

        Assert.Equal(Line, text.Text.Trim());
        Assert.Single(text.Lines);
        Assert.DoesNotContain("ERIKSSON", text.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_legacy_English_model_loads_with_the_legacy_engine()
    {
        using var engine = new TesseractEngine(new TesseractSetup(TessData, "eng", TesseractEngineMode.Legacy, PageSegmentation.SingleLine));
        using var image = RenderLine("DATE OF BIRTH 12 AUG 1974");

        Assert.Contains("1974", engine.Recognize(image).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_traineddata_is_a_clear_installation_error()
    {
        var exception = Assert.Throws<OcrUnavailableException>(() =>
            new TesseractEngine(new TesseractSetup(TessData, "klingon", TesseractEngineMode.Lstm, PageSegmentation.RawLine)));

        Assert.Contains("klingon", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_image_reads_as_no_text()
    {
        using var engine = new TesseractEngine(new TesseractSetup(TessData, "ocrb_int", TesseractEngineMode.Lstm, PageSegmentation.RawLine, MrzReader.Alphabet));
        using var blank = GrayImage.Allocate(300, 40);
        blank.Pixels.Fill(255);

        Assert.Equal(string.Empty, engine.Recognize(blank).Text.Trim());
    }

    [Fact]
    public async Task The_pool_lends_each_instance_to_one_caller_at_a_time()
    {
        using var pool = new TesseractPool(new TesseractSetup(TessData, "ocrb_int", TesseractEngineMode.Lstm, PageSegmentation.RawLine, MrzReader.Alphabet), size: 2);
        using var image = RenderLine(Line);
        int inUse = 0, most = 0;
        var engines = new System.Collections.Concurrent.ConcurrentDictionary<TesseractEngine, bool>();

        var reads = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            using var lease = pool.Rent();
            int now = Interlocked.Increment(ref inUse);
            InterlockedMax(ref most, now);
            engines[lease.Engine] = true;
            var text = lease.Engine.Recognize(image).Text.Trim();
            Interlocked.Decrement(ref inUse);
            return text;
        })).ToArray();
        var texts = await Task.WhenAll(reads);

        Assert.All(texts, text => Assert.Equal(Line, text));
        Assert.InRange(most, 1, 2);
        Assert.InRange(engines.Count, 1, 2);
    }

    [Fact]
    public void A_recognition_past_its_deadline_ends_typed_and_the_pool_reads_the_next_image()
    {
        var setup = new TesseractSetup(TessData, "ocrb_int", TesseractEngineMode.Lstm, PageSegmentation.SingleBlock, MrzReader.Alphabet);
        using var page = RenderPage(Line, PathologicalLines);
        using var line = RenderLine(Line);
        TimeSpan pace;
        using (var unlimited = new TesseractEngine(setup))
        {
            pace = LinePace(unlimited, line);
        }

        // A deadline a normal line keeps even on a loaded machine, a small part of what the page needs.
        using var pool = new TesseractPool(setup with { RecognitionDeadline = pace * 15 }, size: 1);

        TesseractEngine stopped;
        using (var lease = pool.Rent())
        {
            stopped = lease.Engine;
            var timer = System.Diagnostics.Stopwatch.StartNew();
            Assert.Throws<OcrDeadlineExceededException>(() => lease.Engine.Recognize(page));
            AssertStoppedEarly(timer.Elapsed, pace);
        }

        using (var lease = pool.Rent())
        {
            // The one instance of the pool, lent again, cleared of the stopped page: it reads a normal line in full.
            Assert.Same(stopped, lease.Engine);
            Assert.Equal(Line, lease.Engine.Recognize(line).Text.Trim());
        }
    }

    [Fact]
    public void A_recognition_whose_caller_cancels_ends_as_cancelled_and_the_pool_reads_the_next_image()
    {
        using var pool = new TesseractPool(new TesseractSetup(TessData, "ocrb_int", TesseractEngineMode.Lstm, PageSegmentation.SingleBlock,
            MrzReader.Alphabet), size: 1);
        using var page = RenderPage(Line, PathologicalLines);
        using var line = RenderLine(Line);
        using var cancellation = new CancellationTokenSource();

        using (var lease = pool.Rent())
        {
            var pace = LinePace(lease.Engine, line);
            var timer = System.Diagnostics.Stopwatch.StartNew();
            cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
            Assert.ThrowsAny<OperationCanceledException>(() => lease.Engine.Recognize(page, cancellationToken: cancellation.Token));
            AssertStoppedEarly(timer.Elapsed, pace);
        }

        using (var lease = pool.Rent(CancellationToken.None))
        {
            Assert.Equal(Line, lease.Engine.Recognize(line).Text.Trim());
        }
    }

    /// <summary>How long the engine takes for one line on this machine (the page holds <see cref="PathologicalLines"/> of them).</summary>
    private static TimeSpan LinePace(TesseractEngine engine, GrayImage line)
    {
        // The first reading of an instance pays for its lazy set-up.
        engine.Recognize(line);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        engine.Recognize(line);
        return timer.Elapsed;
    }

    /// <summary>
    /// Stopped well before the page would have been read: reading it takes about <see cref="PathologicalLines"/> line
    /// paces (measured: more, a line alone is slower than one of many), a stop noticed only afterwards would take them
    /// all; a sixth leaves room for a loaded machine and for the deadline test's 15 paces.
    /// </summary>
    private static void AssertStoppedEarly(TimeSpan elapsed, TimeSpan linePace) =>
        Assert.True(elapsed < linePace * (PathologicalLines / 6), $"the recognition stopped after {elapsed}, one line takes {linePace}");

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    /// <summary>Lines on the page that no deadline here lets Tesseract finish: tens of seconds of LSTM work.</summary>
    private const int PathologicalLines = 300;

    /// <summary>The same OCR-B line <paramref name="count"/> times, one under the other.</summary>
    private static GrayImage RenderPage(string text, int count)
    {
        using var font = FontFace.Load("/usr/share/fonts/opentype/ocr-b/OCRB.otf");
        using var rgb = RgbImage.Allocate((text.Length * 24) + 48, (count * 48) + 32);
        rgb.Pixels.Fill(255);
        for (int i = 0; i < count; i++)
        {
            font.DrawText(rgb, text, 24, 44 + (i * 48), 32, new RgbColor(0, 0, 0), pitch: 24);
        }

        return GrayImage.FromRgb(rgb);
    }

    /// <summary>One line of OCR-B text, black on white, 24 pixels to a character.</summary>
    private static GrayImage RenderLine(string text)
    {
        using var font = FontFace.Load("/usr/share/fonts/opentype/ocr-b/OCRB.otf");
        using var rgb = RgbImage.Allocate((text.Length * 24) + 48, 64);
        rgb.Pixels.Fill(255);
        font.DrawText(rgb, text, 24, 44, 32, new RgbColor(0, 0, 0), pitch: 24);
        return GrayImage.FromRgb(rgb);
    }
}
