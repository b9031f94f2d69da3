using System.Text;

namespace Verify.Cli.Fuzzing;

/// <summary>One multipart request as the fuzzer sends it: its Content-Type header, declared length and body.</summary>
internal sealed record MultipartRequest(string ContentType, long? ContentLength, byte[] Body, bool Report);

/// <summary>
/// Valid multipart/form-data bodies of a verification submission and of an impersonation report, and mutations of
/// them that attack the form reader: a boundary that differs from the header's, is too long, empty or quoted; part
/// headers garbled, dropped or with huge names; parts repeated hundreds of times; a declared length that lies;
/// truncation, byte flips, lost CRLFs and splices of two bodies.
/// </summary>
internal sealed class MultipartMutator(byte[] image, Random random)
{
    private const string Boundary = "fuzz-boundary-7d1c";

    public (MultipartRequest Request, string Mutation) Next()
    {
        bool report = random.Next(2) == 0;
        var parts = report ? ReportParts() : SubmissionParts();
        string boundary = Boundary;
        string contentType = $"multipart/form-data; boundary={boundary}";
        long? declared = null;
        string mutation = random.Next(12) switch
        {
            0 => Set(ref contentType, $"multipart/form-data; boundary=other-{random.Next(1000)}", "boundary_mismatch"),
            1 => SetBoundary(ref boundary, ref contentType, new string('b', 60 + random.Next(200)), "long_boundary"),
            2 => Set(ref contentType, random.Next(3) switch { 0 => "multipart/form-data", 1 => "multipart/form-data; boundary=", _ => "multipart/form-data; boundary=\"" }, "no_boundary"),
            3 => SetBoundary(ref boundary, ref contentType, "\"" + Boundary + "\"", "quoted_boundary"),
            4 => Headers(parts),
            5 => HugeName(parts),
            6 => Repeat(parts),
            7 => Drop(parts),
            _ => "bytes",
        };
        byte[] body = Encode(parts, boundary.Trim('"'));
        if (mutation == "bytes")
        {
            (body, mutation) = MutateBytes(body);
        }

        if (random.Next(4) == 0)
        {
            declared = random.Next(3) switch { 0 => body.Length + 1 + random.Next(1000), 1 => Math.Max(0, body.Length - 1 - random.Next(100)), _ => 1L << 40 };
            mutation += "+content_length";
        }

        return (new MultipartRequest(contentType, declared ?? body.Length, body, report), mutation);
    }

    private List<Part> SubmissionParts() =>
    [
        Part.Text("subject_id", "fuzz-subject"), Part.Text("biometric_processing", "true"), Part.Text("template_storage", "false"),
        Part.Text("policy_version", "2026-11"), Part.File("document_front", "front.jpg", image), Part.File("selfie", "selfie.jpg", image),
    ];

    private List<Part> ReportParts() =>
    [
        Part.Text("reported_account_id", "account-1"), Part.Text("claimed_subject_id", "fuzz-subject"),
        Part.File("images", "one.jpg", image), Part.File("images", "two.jpg", image),
    ];

    private static string Set(ref string target, string value, string name)
    {
        target = value;
        return name;
    }

    private static string SetBoundary(ref string boundary, ref string contentType, string value, string name)
    {
        boundary = value;
        contentType = $"multipart/form-data; boundary={value}";
        return name;
    }

    private string Headers(List<Part> parts)
    {
        int index = random.Next(parts.Count);
        parts[index] = parts[index] with
        {
            Headers = random.Next(5) switch
            {
                0 => "",
                1 => "Content-Disposition: form-data",
                2 => "Content-Disposition form-data; name=\"x\"",
                3 => parts[index].Headers + "\r\n" + parts[index].Headers,
                _ => "Content-Disposition: form-data; name=\"" + parts[index].Name + "\"; filename*=UTF-8''%FF%FE" + "\r\nContent-Type: image/\u00ff",
            },
        };
        return "part_headers";
    }

    private string HugeName(List<Part> parts)
    {
        int index = random.Next(parts.Count);
        string name = new('n', random.Next(2) == 0 ? 5_000 : 100_000);
        parts[index] = parts[index] with { Name = name, Headers = parts[index].Headers.Replace($"name=\"{parts[index].Name}\"", $"name=\"{name}\"", StringComparison.Ordinal) };
        return "huge_name";
    }

    private string Repeat(List<Part> parts)
    {
        var part = parts[random.Next(parts.Count)];
        int times = random.Next(2) == 0 ? 2 + random.Next(10) : 65 + random.Next(1000);
        for (int i = 0; i < times; i++)
        {
            parts.Add(part);
        }

        return "repeat_part";
    }

    private string Drop(List<Part> parts)
    {
        parts.RemoveAt(random.Next(parts.Count));
        return "drop_part";
    }

    private (byte[], string) MutateBytes(byte[] body)
    {
        switch (random.Next(4))
        {
            case 0:
                return (body[..random.Next(body.Length)], "truncation");
            case 1:
                for (int i = 0, flips = 1 + random.Next(16); i < flips; i++)
                {
                    body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (body, "bit_flips");
            case 2:
                string text = Encoding.Latin1.GetString(body);
                return (Encoding.Latin1.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal)), "lf_only");
            default:
                int cut = random.Next(body.Length), from = random.Next(body.Length);
                return ([.. body.AsSpan(0, cut), .. body.AsSpan(from)], "splice");
        }
    }

    private static byte[] Encode(List<Part> parts, string boundary)
    {
        using var body = new MemoryStream();
        foreach (var part in parts)
        {
            body.Write(Encoding.Latin1.GetBytes($"--{boundary}\r\n{part.Headers}\r\n\r\n"));
            body.Write(part.Content);
            body.Write("\r\n"u8);
        }

        body.Write(Encoding.Latin1.GetBytes($"--{boundary}--\r\n"));
        return body.ToArray();
    }

    /// <summary>One part: its headers (without the blank line) and content.</summary>
    private sealed record Part(string Name, string Headers, byte[] Content)
    {
        public static Part Text(string name, string value) =>
            new(name, $"Content-Disposition: form-data; name=\"{name}\"", Encoding.UTF8.GetBytes(value));

        public static Part File(string name, string fileName, byte[] content) =>
            new(name, $"Content-Disposition: form-data; name=\"{name}\"; filename=\"{fileName}\"\r\nContent-Type: image/jpeg", content);
    }
}
