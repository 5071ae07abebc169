using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Monitoring.Web.Hosting;

namespace Monitoring.Web.Security;

/// <summary>
/// Caps request bodies at <c>Monitoring:Abuse:MaxRequestBodyBytes</c> (an endpoint's own
/// <see cref="IRequestSizeLimitMetadata"/> wins). A declared Content-Length over the cap is a 413
/// before a byte is read. Otherwise the cap goes to the server (<see cref="IHttpMaxRequestBodySizeFeature"/>,
/// which Kestrel enforces while the body is read) or, on servers without that feature (TestServer),
/// into a counting stream; both throw <see cref="BadHttpRequestException"/> 413, which the exception
/// handler turns into a 413 ProblemDetails (see <c>AddMonitoringAbuseProtection</c>).
/// </summary>
internal sealed class RequestSizeLimitMiddleware(RequestDelegate next, IOptions<MonitoringOptions> options)
{
    private readonly long _defaultLimit = options.Value.Abuse.MaxRequestBodyBytes;

    public Task InvokeAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } metadata
            ? metadata.MaxRequestBodySize
            : _defaultLimit;

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = limit;
        if (limit is not { } max) return next(context);

        if (context.Request.ContentLength > max)
            return AbuseProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.",
                $"The body may be at most {max} bytes; this one declares {context.Request.ContentLength}.");

        if (feature is null) context.Request.Body = new MaxLengthReadStream(context.Request.Body, max);
        return next(context);
    }

    internal static BadHttpRequestException TooLarge(long max) =>
        new($"The request body is larger than {max} bytes.", StatusCodes.Status413PayloadTooLarge);
}

/// <summary>Reads through to the inner body and throws 413 once more than the limit has come through.</summary>
internal sealed class MaxLengthReadStream(Stream inner, long max) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    private int Count(int n)
    {
        _read += n;
        if (_read > max) throw RequestSizeLimitMiddleware.TooLarge(max);
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // The server owns the inner body stream; disposing this wrapper must not close it.
    protected override void Dispose(bool disposing) { }
}
