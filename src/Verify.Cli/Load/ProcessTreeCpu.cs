using System.Diagnostics;
using System.Globalization;

namespace Verify.Cli.Load;

/// <summary>
/// The CPU time (user plus system) of a process and its live descendants, read on Linux from /proc: each process's
/// own time through <see cref="Process.TotalProcessorTime"/> (utime + stime of /proc/PID/stat), its children from
/// /proc/PID/task/TID/children. Descendants count because a launcher (dotnet run, a shell script) or a database
/// server (a PostgreSQL backend per connection) does its work in child processes.
/// </summary>
internal static class ProcessTreeCpu
{
    /// <summary>Each process of the tree under <paramref name="root"/> with its CPU time so far; empty when the root is gone.</summary>
    public static IReadOnlyDictionary<int, TimeSpan> Sample(int root)
    {
        var times = new Dictionary<int, TimeSpan>();
        var pending = new Stack<int>([root]);
        while (pending.TryPop(out int pid))
        {
            if (times.ContainsKey(pid) || CpuTime(pid) is not { } time)
            {
                continue;
            }

            times[pid] = time;
            foreach (int child in Children(pid))
            {
                pending.Push(child);
            }
        }

        return times;
    }

    /// <summary>
    /// CPU time the tree spent between two samples: each process's growth, the whole time of one started in between.
    /// A process that ended in between is missed (its time since the first sample went to its parent's reaped-children
    /// total, which is not read); a service's processes live through a run.
    /// </summary>
    public static TimeSpan Between(IReadOnlyDictionary<int, TimeSpan> before, IReadOnlyDictionary<int, TimeSpan> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var total = TimeSpan.Zero;
        foreach (var (pid, time) in after)
        {
            var grown = time - before.GetValueOrDefault(pid);
            // A reused pid (a process that ended and another that took its number) would count negative time.
            total += grown > TimeSpan.Zero ? grown : TimeSpan.Zero;
        }

        return total;
    }

    /// <summary>The process's name, or null when there is no such process.</summary>
    public static string? Name(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.ProcessName;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static TimeSpan? CpuTime(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            // Gone between listing and reading.
            return null;
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string tasks = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/task");
        string[] threads;
        try
        {
            threads = Directory.GetDirectories(tasks);
        }
        catch (Exception exception) when (exception is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var children = new List<int>();
        foreach (string thread in threads)
        {
            try
            {
                children.AddRange(File.ReadAllText(Path.Combine(thread, "children"))
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(child => int.Parse(child, CultureInfo.InvariantCulture)));
            }
            catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException or UnauthorizedAccessException)
            {
                // The thread ended while we read.
            }
        }

        return children;
    }
}
