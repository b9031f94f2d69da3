using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Verify.Api.ImpersonationReports;
using Verify.Api.Uploads;
using Verify.Api.Verifications;
using Verify.Imaging;

namespace Verify.Cli.Fuzzing;

/// <summary>
/// What the fuzzer does with one input: an image goes through the API's check (<see cref="ImageDecoder.Inspect"/>) and
/// the worker's full decode (<see cref="ImageDecoder.Decode"/>); a multipart body through the API's own readers
/// (<see cref="SubmissionReader"/>, <see cref="ReportReader"/>) on a <see cref="DefaultHttpContext"/>. Either ends in a
/// typed outcome; anything else is returned as an untyped one, never thrown.
/// </summary>
internal static class FuzzTargets
{
    /// <summary>"decoded" or the typed error kind of the full decode, and whether the API's check passed an input the decode refused.</summary>
    public static (string Outcome, bool PassedCheckFailedDecode) Image(ImageDecoder decoder, byte[] input)
    {
        bool passed;
        try
        {
            decoder.Inspect(input);
            passed = true;
        }
        catch (ImageDecodeException)
        {
            passed = false;
        }
        catch (Exception exception)
        {
            return (FuzzTally.UntypedPrefix + exception.GetType().Name + " in the API's check", false);
        }

        try
        {
            using var image = decoder.Decode(input);
            return ("decoded", false);
        }
        catch (ImageDecodeException exception)
        {
            return (exception.Error.ToString(), passed);
        }
        catch (Exception exception)
        {
            return (FuzzTally.UntypedPrefix + exception.GetType().Name + " in the decode", false);
        }
    }

    /// <summary>"read" for a valid submission or report, "problem:{code}" for a typed refusal.</summary>
    public static string Multipart(ImageUploadReader uploads, MultipartRequest input)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = input.ContentType;
        context.Request.ContentLength = input.ContentLength;
        context.Request.Body = new MemoryStream(input.Body, writable: false);
        try
        {
            var problem = input.Report
                ? new ReportReader(uploads).ReadAsync(context.Request, CancellationToken.None).GetAwaiter().GetResult().Problem
                : new SubmissionReader(uploads, new ChipUploadReader(Options.Create(new ImageDecoderOptions()), TimeProvider.System)).ReadAsync(context.Request, CancellationToken.None).GetAwaiter().GetResult().Problem;
            return problem switch
            {
                null => "read",
                ProblemHttpResult typed when typed.ProblemDetails.Extensions.TryGetValue("code", out var code) => $"problem:{code}",
                _ => FuzzTally.UntypedPrefix + "result " + problem.GetType().Name,
            };
        }
        catch (Exception exception)
        {
            return FuzzTally.UntypedPrefix + exception.GetType().Name;
        }
    }

    /// <summary>The API's upload reader with the service's default limits.</summary>
    public static ImageUploadReader Uploads(ImageDecoder decoder) => new(decoder, Options.Create(new UploadOptions()));
}
