using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Verify.Inference.Hosting;
using Verify.Pipeline.Audit;
using Verify.Pipeline.Impersonation;
using Verify.Pipeline.Messaging;
using Verify.Pipeline.Observability;
using Verify.Pipeline.Retention;
using Verify.Pipeline.Reviews;
using Verify.Pipeline.Submissions;
using Verify.Pipeline.Verification;

namespace Verify.Pipeline;

/// <summary>
/// What a Verify host runs in a given bus role, on the storage and transport the host chose: the verification
/// processor and its models only where verifications are consumed; the submission intake where they are dispatched.
/// </summary>
public static class ServiceCompositionExtensions
{
    public static IServiceCollection AddVerifyService(this IServiceCollection services, BusRole role, Action<IBusRegistrationConfigurator> useTransport)
    {
        if (role.HasFlag(BusRole.Consumer))
        {
            // Only a consuming process loads the models and Tesseract, and waits for them in its readiness.
            services.AddVerifyPipeline();
            services.AddVerificationProcessing();
            services.AddImpersonationAssessment();
        }

        if (role.HasFlag(BusRole.Dispatcher))
        {
            // What the API reads and records submissions with: the image decoders (no model), liveness challenges
            // and the submission and report use cases.
            services.AddVerifyImageDecoding();
            services.AddVerifyLivenessChallenges();
            services.TryAddSingleton<SubmissionIntake>();
            // The review desk decides without a model: what approving needs was kept on the case by the worker.
            services.AddOptions<VerificationOptions>().BindConfiguration(VerificationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            services.AddOptions<ReviewOptions>().BindConfiguration(ReviewOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            services.TryAddSingleton<ReviewTelemetry>();
            services.TryAddSingleton<EvidenceDisposal>();
            // What the re-driver and the fault consumers end stuck work with: no model needed.
            services.TryAddSingleton<VerificationAbandonment>();
            services.TryAddSingleton<ReportAbandonment>();
            services.TryAddSingleton<ReviewDesk>();
            services.TryAddSingleton<ReviewEvidence>();
            services.TryAddSingleton<ReportIntake>();
        }

        services.AddVerifyMessaging(role, useTransport);
        services.AddMetrics();
        services.TryAddSingleton<PipelineTelemetry>();
        // Exported by the host's OpenTelemetry (Verify.ServiceDefaults) when an OTLP endpoint is configured.
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(PipelineTelemetry.Name));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter(PipelineTelemetry.Name));
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<SubjectEraser>();
        services.TryAddSingleton<RetentionPurger>();
        services.AddVerifyAudit();
        if (role.HasFlag(BusRole.Dispatcher))
        {
            // One purge loop per API instance; each step is an idempotent delete, so instances never conflict.
            services.AddHostedService<RetentionService>();
            // One sealing loop per API instance too; they take turns at the chain's end under a lock.
            services.AddHostedService<AuditSealingService>();
        }

        return services;
    }

    /// <summary>The audit chain's sealer and check (the MAC comes with the storage), for hosts and the CLI alike.</summary>
    public static IServiceCollection AddVerifyAudit(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AuditSealer>();
        services.TryAddSingleton<AuditChain>();
        return services;
    }
}
