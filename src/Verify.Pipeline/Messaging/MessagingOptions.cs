using System.ComponentModel.DataAnnotations;

namespace Verify.Pipeline.Messaging;

/// <summary>Which queue a worker serves.</summary>
public enum WorkerQueue
{
    Cpu,
    Gpu,
}

/// <summary>The bus: queues, and how the consumers and the outbox behave (the transport and broker are the host's: Verify.Hosting).</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    /// <summary>For the API, the queue new verifications are sent to; for a worker, the queue it consumes (its kind).</summary>
    public WorkerQueue Queue { get; set; } = WorkerQueue.Cpu;

    /// <summary>Verifications one consumer process runs at once (the pipeline is CPU-bound: about one per core).</summary>
    [Range(1, 64)]
    public int ConcurrentVerifications { get; set; } = 2;

    /// <summary>Longest one verification may run before it is cancelled and retried (a hung stage, an unanswering database).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan VerificationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Retries after a fault (exception or timeout), with exponentially growing pauses. When the last one fails too,
    /// the verification is sent to review with <c>processing_failed</c>, so the client gets an answer and a person looks.
    /// </summary>
    [Range(0, 20)]
    public int RetryLimit { get; set; } = 5;

    /// <summary>The first pause between retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest pause between retries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How much each pause grows (times two to the retry number, up to the maximum).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the outbox dispatcher looks for messages when it found none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a dispatcher holds the messages it took before another may take them.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The key that signs every bus message between the API and the workers (HMAC-SHA256; base64, 32 bytes or more).
    /// Optional: without it the key is derived from the protection keys every process already shares.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// How long an accepted verification or report may wait in the queue before the re-driver sends its command again
    /// (a command lost with a crashed process, or a queue that stopped moving).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan QueuedLease { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Times the re-driver sends a command again after a worker's processing lease lapsed (it started and died or hung);
    /// the next such lapse sends the verification to review as <c>processing_failed</c>. Re-drives of a command that was
    /// only waiting in the queue do not count: waiting is never a reason to give up.
    /// </summary>
    [Range(0, 20)]
    public int MaxRedrives { get; set; } = 3;

    /// <summary>How often the re-driver (in the API) looks for verifications and reports whose lease lapsed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RedriveInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a worker holds what it started: every attempt timing out and every pause between them, so a
    /// verification still retried is never taken for a stuck one. Derived, not configured.
    /// </summary>
    public TimeSpan ProcessingLease => VerificationTimeout * (RetryLimit + 1) + RetryMaxInterval * RetryLimit;

    /// <summary>
    /// Until when a verification or report is leased: its lease, or, never leased (accepted and not taken yet, or from
    /// before leases), its acceptance plus <see cref="QueuedLease"/>. The re-driver and every giving up read it alike,
    /// so nothing under a live lease is re-driven or ended by anyone but the worker that holds it.
    /// </summary>
    public DateTime LeaseEnd(DateTime? leaseExpiresAt, DateTime createdAt) => leaseExpiresAt ?? createdAt + QueuedLease;

    /// <summary>
    /// Whether the consumers run in this process on the in-memory bus (embedded mode): a sent command is then marked
    /// sent by its consumer when it arrives, not by the dispatcher, since the in-memory queue dies with the process.
    /// Set by the host's composition, not by configuration.
    /// </summary>
    internal bool ConsumerAcknowledgesCommands { get; set; }

    internal static string QueueName(WorkerQueue queue) => queue == WorkerQueue.Gpu ? "verify-identity-gpu" : "verify-identity-cpu";

    /// <summary>The queue of impersonation reports for a worker kind: their own, so each command keeps its own retry and limits.</summary>
    internal static string ReportQueueName(WorkerQueue queue) => queue == WorkerQueue.Gpu ? "impersonation-reports-gpu" : "impersonation-reports-cpu";
}
