using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Verify.Inference.Models;

namespace Verify.Inference.OnnxRuntime;

/// <summary>
/// One loaded model: its manifest and its ONNX Runtime session, checked against the manifest's contract.
/// <see cref="Run"/> is thread-safe, as <see cref="InferenceSession.Run(RunOptions, IReadOnlyDictionary{string, OrtValue}, IReadOnlyCollection{string})"/> is.
/// Each run has its own <see cref="RunOptions"/>, so cancelling one caller terminates that run and no other.
/// Disposing terminates the runs in flight and waits for them to leave the native session before freeing it: a host
/// that shuts down while a verification is still running must not free the memory that run is reading (a native
/// crash of the whole process, seen in the test suite); a run asked for afterwards throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class ModelSession : IDisposable
{
    /// <summary>Longest a dispose waits for terminated runs to leave the session; past it the session is left unfreed.</summary>
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    private readonly InferenceSession _session;
    private readonly string[] _outputNames;
    private readonly object _gate = new();
    private readonly HashSet<RunOptions> _running = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    internal ModelSession(ModelManifest manifest, InferenceSession session, ExecutionProvider provider)
    {
        Manifest = manifest;
        _session = session;
        Provider = provider;
        try
        {
            CheckContract(manifest.Inputs, session.InputMetadata, "input");
            CheckContract(manifest.Outputs, session.OutputMetadata, "output");
        }
        catch
        {
            Dispose();
            throw;
        }

        _outputNames = manifest.Outputs.Select(output => output.Name).ToArray();
        AcceptsBatch = session.InputMetadata.Values.Concat(session.OutputMetadata.Values)
            .All(metadata => metadata.Dimensions.Length > 0 && metadata.Dimensions[0] < 0);
    }

    public ModelManifest Manifest { get; }

    /// <summary>The execution provider the session actually runs on.</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>
    /// Whether one run can take several inputs: every input and output of the graph, as the session reads it,
    /// has a symbolic leading (batch) dimension. A model exported with a batch of 1 never can.
    /// </summary>
    public bool AcceptsBatch { get; }

    /// <summary>
    /// Runs the model on one named input; outputs come back in manifest order and must be disposed. When
    /// <paramref name="cancellationToken"/> fires, ONNX Runtime is told to terminate the run (it stops before the next
    /// node), and the call throws <see cref="OperationCanceledException"/>; the session serves the next run as before.
    /// </summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(string inputName, OrtValue input, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var inputs = new Dictionary<string, OrtValue>(1) { [inputName] = input };
        // Declared first, disposed last: disposing the registration waits for a Terminate being set at that moment, and
        // the run leaves the in-flight set before its options are freed.
        using var runOptions = new RunOptions();
        Enter(runOptions);
        try
        {
            using var termination = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(runOptions, inputs, _outputNames);
            }
            catch (OnnxRuntimeException exception) when (cancellationToken.IsCancellationRequested)
            {
                // ONNX Runtime reports a terminated run as a generic failure ("Exiting due to terminate flag being set").
                throw new OperationCanceledException($"The run of {Manifest.Id} was terminated: its caller cancelled.", exception, cancellationToken);
            }
            catch (OnnxRuntimeException exception) when (Volatile.Read(ref _disposed))
            {
                throw new ObjectDisposedException($"The run of {Manifest.Id} was terminated: its session is being disposed.", exception);
            }

            if (cancellationToken.IsCancellationRequested)
            {
                // The token fired after the last step that looks at the flag: the caller gave up on this result either way,
                // so a cancelled run ends the same whenever the token fired.
                outputs.Dispose();
                throw new OperationCanceledException($"The run of {Manifest.Id} finished after its caller cancelled.", cancellationToken);
            }

            return outputs;
        }
        finally
        {
            Leave(runOptions);
        }
    }

    /// <summary>
    /// Terminates the runs in flight, waits (up to <see cref="DrainTimeout"/>) until they have left the native session,
    /// then frees it. Should a run not leave in time, the session is not freed: a leak at shutdown, never a crash.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            Volatile.Write(ref _disposed, true);
            foreach (var running in _running)
            {
                running.Terminate = true;
            }

            long started = Stopwatch.GetTimestamp();
            while (_running.Count > 0)
            {
                var left = DrainTimeout - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    return;
                }
            }
        }

        _session.Dispose();
    }

    private void Enter(RunOptions run)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _running.Add(run);
        }
    }

    private void Leave(RunOptions run)
    {
        lock (_gate)
        {
            _running.Remove(run);
            if (_running.Count == 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private void CheckContract(IReadOnlyList<TensorContract> declared, IReadOnlyDictionary<string, NodeMetadata> actual, string kind)
    {
        if (declared.Count != actual.Count)
        {
            throw Mismatch($"declares {declared.Count} {kind}s, the model has {actual.Count} ({string.Join(", ", actual.Keys)})");
        }

        foreach (var tensor in declared)
        {
            if (!actual.TryGetValue(tensor.Name, out var metadata))
            {
                throw Mismatch($"declares {kind} '{tensor.Name}', the model has {string.Join(", ", actual.Keys)}");
            }

            if (metadata.ElementDataType != TensorElementType.Float || tensor.Type != "float32")
            {
                throw Mismatch($"{kind} '{tensor.Name}' is {metadata.ElementDataType}, the manifest says {tensor.Type}");
            }

            var dimensions = metadata.Dimensions;
            bool same = dimensions.Length == tensor.Shape.Count
                && dimensions.Select((dimension, i) => dimension == tensor.Shape[i] || (dimension < 0 && tensor.Shape[i] < 0)).All(match => match);
            if (!same)
            {
                throw Mismatch($"{kind} '{tensor.Name}' has shape [{string.Join(",", dimensions)}], the manifest says [{string.Join(",", tensor.Shape)}]");
            }
        }
    }

    private ModelUnavailableException Mismatch(string detail) =>
        new(Manifest.Id, $"Model '{Manifest.Id}' does not match its manifest.", $"The manifest {detail}.");
}
