using System.Collections.Concurrent;
using Verify.Imaging;

namespace Verify.Documents.Ocr;

/// <summary>
/// A bounded pool of identically set-up <see cref="TesseractEngine"/>s. Tesseract instances are not
/// thread-safe and take tens of milliseconds (hundreds for the legacy English data) to initialise,
/// so each is created once, lent to one caller at a time, and reused.
/// </summary>
public sealed class TesseractPool : IDisposable
{
    private readonly ConcurrentBag<TesseractEngine> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly List<TesseractEngine> _all = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    public TesseractPool(TesseractSetup setup, int size)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        Setup = setup;
        Size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>How each instance is set up.</summary>
    public TesseractSetup Setup { get; }

    /// <summary>The most instances that exist at once.</summary>
    public int Size { get; }

    /// <summary>Waits for a free instance (creating one while fewer than <see cref="Size"/> exist) and lends it.</summary>
    public Lease Rent(CancellationToken cancellationToken = default)
    {
        _slots.Wait(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryTake(out var engine))
            {
                return new Lease(this, engine);
            }

            engine = new TesseractEngine(Setup);
            lock (_gate)
            {
                _all.Add(engine);
            }

            return new Lease(this, engine);
        }
        catch
        {
            _slots.Release();
            throw;
        }
    }

    /// <summary>
    /// Creates the first instance and reads a blank line with it now, so that a missing library or traineddata
    /// shows at start-up and the first document does not pay for Tesseract's lazy initialisation.
    /// </summary>
    public void WarmUp()
    {
        using var lease = Rent();
        using var blank = GrayImage.Allocate(64, 32);
        blank.Pixels.Fill(255);
        lease.Engine.Recognize(blank);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var engine in _all)
            {
                engine.Dispose();
            }
        }
    }

    private void Return(TesseractEngine engine)
    {
        _idle.Add(engine);
        _slots.Release();
    }

    /// <summary>One instance on loan; dispose to give it back.</summary>
    public sealed class Lease : IDisposable
    {
        private TesseractPool? _pool;

        internal Lease(TesseractPool pool, TesseractEngine engine)
        {
            _pool = pool;
            Engine = engine;
        }

        /// <summary>The instance, for this caller only until the lease is disposed.</summary>
        public TesseractEngine Engine { get; }

        public void Dispose() => Interlocked.Exchange(ref _pool, null)?.Return(Engine);
    }
}
