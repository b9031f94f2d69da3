using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Verify.Api.Reviews;

/// <summary>
/// The reviewer web console at <c>/console/</c>: static HTML, CSS and JavaScript (src/Verify.Api/wwwroot/console)
/// embedded in this assembly, so every way of running the API serves the same files without a content root or a build
/// step. The files need no key: they hold no data, and everything the page shows comes from the keyed /v1/reviews API,
/// called with the reviewer's key. Their headers keep the page to this origin's own scripts and styles (no inline code),
/// images from this origin or blob: (the evidence, fetched with the key), no framing and no referrer.
/// </summary>
internal static class ReviewConsole
{
    public const string Path = "/console";

    public const string ContentSecurityPolicy = "default-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'; "
        + "form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseReviewConsole(this IApplicationBuilder app)
    {
        var files = new EmbeddedFileProvider(typeof(ReviewConsole).Assembly, "Verify.Api.wwwroot.console");
        // /console redirects to /console/, which serves index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files, RequestPath = Path });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            RequestPath = Path,
            ContentTypeProvider = ContentTypes(),
            OnPrepareResponse = context => AddHeaders(context.Context.Response.Headers),
        });
        return app;
    }

    /// <summary>The console's kinds of file; the text ones in UTF-8 (the page's text has non-ASCII characters).</summary>
    private static FileExtensionContentTypeProvider ContentTypes() => new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    });

    private static void AddHeaders(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        // Revalidated on every load, so a new release's files are picked up at once.
        headers.CacheControl = CacheControlHeaderValue.NoCacheString;
    }
}
