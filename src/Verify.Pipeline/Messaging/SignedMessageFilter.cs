using MassTransit;
using Microsoft.Extensions.Logging;

namespace Verify.Pipeline.Messaging;

/// <summary>
/// The consumers' gate: a message reaches a Verify consumer only with a valid <see cref="MessageSigner"/> signature. A
/// refused message is not consumed (the transport moves it to the endpoint's skipped queue), is logged by type, id and
/// reason only (never its payload) and counted in <c>verify.bus.messages_refused</c>.
/// </summary>
public sealed partial class SignedMessageFilter<T>(MessageSigner signer, ILogger<SignedMessageFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        string? signature = context.Headers.Get<string>(MessageSigner.Header);
        if (signer.IsValid(typeof(T), context.MessageId, context.Message, signature))
        {
            return next.Send(context);
        }

        string reason = string.IsNullOrEmpty(signature) ? "missing" : "invalid";
        signer.Refused.Add(1, new KeyValuePair<string, object?>("message_type", typeof(T).Name), new KeyValuePair<string, object?>("reason", reason));
        LogRefused(logger, typeof(T).Name, context.MessageId, reason);
        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context) => context?.CreateFilterScope("verifyMessageSignature");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bus message {MessageType} {MessageId} refused: signature {Reason}; not consumed")]
    private static partial void LogRefused(ILogger logger, string messageType, Guid? messageId, string reason);
}
