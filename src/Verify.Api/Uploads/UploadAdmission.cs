using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Verify.Api.Auth;
using Verify.Api.Verifications;
using Verify.Data;
using Verify.Data.Entities;

namespace Verify.Api.Uploads;

/// <summary>
/// The fair-admission checks of an upload endpoint that need the database or the body (the limits on request counts are
/// <see cref="ApiRateLimits"/>'): the client's queued work and its bytes today, checked before the body is read; then a
/// deadline and a minimum data rate while it is read; and the bytes read, counted to the client's day. Its presence on
/// an endpoint is also what puts it under the in-flight limits.
/// </summary>
internal sealed partial class UploadAdmission(
    IDbContextFactory<VerifyDbContext> databases,
    ClientUsageCounter usage,
    IOptions<UploadOptions> options,
    TimeProvider time,
    ILogger<UploadAdmission> logger) : IEndpointFilter
{
    // A full queue drains at the workers' pace: a submission takes a few seconds.
    private const int QueueRetryAfterSeconds = 10;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var limits = options.Value;
        string clientId = http.User.ClientId();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using (var db = await databases.CreateDbContextAsync(http.RequestAborted))
        {
            if (await QueuedAsync(db, clientId, http.RequestAborted) >= limits.QueuedPerClient)
            {
                return Refuse(http, QueueRetryAfterSeconds, "queue_quota_exceeded", "Too much work queued.",
                    $"This client has {limits.QueuedPerClient} or more verifications and reports queued or processing; nothing was stored. Retry once some are decided.");
            }

            long used = await usage.UsedAsync(db, clientId, today, http.RequestAborted);
            if (used + (http.Request.ContentLength ?? 0) > limits.RequestBytesPerClientPerDay)
            {
                int untilTomorrow = (int)Math.Ceiling((today.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc) - now.UtcDateTime).TotalSeconds);
                return Refuse(http, Math.Max(1, untilTomorrow), "daily_quota_exceeded", "Daily upload quota used.",
                    $"This client may send {limits.RequestBytesPerClientPerDay} request bytes per UTC day and this request would pass that; nothing was stored. Retry after the time in Retry-After (the next UTC day).");
            }
        }

        // Kestrel enforces the minimum rate itself (it times only while the body is being read); the stream below does
        // the same for servers without the feature (the test server) and adds the deadline on the whole body.
        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, limits.MinBodyRateGrace);
        }

        var body = new AdmissionBodyStream(http.Request.Body, time, limits);
        http.Request.Body = body;
        try
        {
            return await next(context);
        }
        catch (UploadTooSlowException)
        {
            // The rest of the body is not read: the connection is not reused.
            http.Response.Headers.Connection = "close";
            return Problems.Create(StatusCodes.Status408RequestTimeout, "upload_too_slow", "The upload was too slow.",
                $"The request body must arrive within {limits.BodyReadTimeout.TotalSeconds:0} s and at {limits.MinBodyBytesPerSecond} bytes/s or more; nothing was stored. Retry on a better connection.");
        }
        finally
        {
            if (body.BytesRead > 0)
            {
                try
                {
                    await usage.AddAsync(clientId, today, body.BytesRead, CancellationToken.None);
                }
                catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
                {
                    // The upload's answer stands (its verification may be committed): a 500 here would make a client
                    // without an Idempotency-Key submit it again. The day's count misses these bytes.
                    LogUsageNotCounted(logger, exception, body.BytesRead);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not count {Bytes} request bytes to the client's day; the upload's answer stands")]
    private static partial void LogUsageNotCounted(ILogger logger, Exception exception, long bytes);

    /// <summary>The client's verifications and impersonation reports not yet decided: what its uploads put on the workers.</summary>
    private static async Task<int> QueuedAsync(VerifyDbContext db, string clientId, CancellationToken cancellationToken) =>
        await db.Verifications.CountAsync(v => v.ClientId == clientId && (v.State == VerificationState.Queued || v.State == VerificationState.Processing), cancellationToken)
        + await db.ImpersonationReports.CountAsync(r => r.ClientId == clientId
            && (r.State == ImpersonationReportState.Queued || r.State == ImpersonationReportState.Processing), cancellationToken);

    private static IResult Refuse(HttpContext http, int retryAfterSeconds, string code, string title, string detail)
    {
        http.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, code, title, detail);
    }
}

/// <summary>Marks an endpoint as an upload: under the in-flight limits of <see cref="ApiRateLimits"/>.</summary>
internal sealed class UploadAdmissionMarker
{
    public static readonly UploadAdmissionMarker Instance = new();

    private UploadAdmissionMarker()
    {
    }
}

/// <summary>An upload's body did not arrive within the deadline or at the minimum rate.</summary>
internal sealed class UploadTooSlowException : Exception
{
    public UploadTooSlowException()
        : base("The request body did not arrive in time.")
    {
    }

    public UploadTooSlowException(string message)
        : base(message)
    {
    }

    public UploadTooSlowException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// The request body of an upload, read under a deadline on the whole body and a minimum data rate after a grace period
/// (each read is cancelled when the next byte is due and has not come), and counting the bytes read. Works on any server,
/// the in-memory test server included.
/// </summary>
internal sealed class AdmissionBodyStream(Stream inner, TimeProvider time, UploadOptions limits) : Stream
{
    private long _started = -1;

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_started < 0)
        {
            _started = time.GetTimestamp();
        }

        var elapsed = time.GetElapsedTime(_started);
        // The next byte is due by the deadline, and by when the bytes so far plus one still meet the minimum rate.
        var byRate = limits.MinBodyRateGrace + TimeSpan.FromSeconds((BytesRead + 1) / (double)limits.MinBodyBytesPerSecond);
        var wait = (byRate < limits.BodyReadTimeout ? byRate : limits.BodyReadTimeout) - elapsed;
        if (wait <= TimeSpan.Zero)
        {
            throw new UploadTooSlowException();
        }

        using var due = new CancellationTokenSource(wait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, due.Token);
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (due.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Servers report a read cancelled under them in their own way (an OperationCanceledException, or an
            // IOException as the test server does): whatever it is, the byte was due and did not come.
            throw new UploadTooSlowException("The request body did not arrive in time.", exception);
        }

        BytesRead += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The servers refuse synchronous reads of a request body; so does this stream, rather than read past its limits.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the upload asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The request bytes each client sent per UTC day (<see cref="ClientUsage"/>), in the database so every API instance adds to one total.</summary>
internal sealed class ClientUsageCounter(IDbContextFactory<VerifyDbContext> databases)
{
    public async Task<long> UsedAsync(VerifyDbContext db, string clientId, DateOnly day, CancellationToken cancellationToken) =>
        await db.ClientUsage.Where(u => u.ClientId == clientId && u.Day == day).Select(u => u.RequestBytes).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Adds <paramref name="bytes"/> to the client's day: an increment in the database, the row created on the day's first upload.</summary>
    public async Task AddAsync(string clientId, DateOnly day, long bytes, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await IncrementAsync(db, clientId, day, bytes, cancellationToken) > 0)
        {
            return;
        }

        db.ClientUsage.Add(new ClientUsage { ClientId = clientId, Day = day, RequestBytes = bytes });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another upload of the same client created the day's row first: add to it.
            db.ChangeTracker.Clear();
            await IncrementAsync(db, clientId, day, bytes, cancellationToken);
        }
    }

    private static Task<int> IncrementAsync(VerifyDbContext db, string clientId, DateOnly day, long bytes, CancellationToken cancellationToken) =>
        db.ClientUsage.Where(u => u.ClientId == clientId && u.Day == day)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.RequestBytes, u => u.RequestBytes + bytes), cancellationToken);
}
