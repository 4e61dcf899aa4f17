// OpenTelemetry traces (docs/operations.md#metrics-and-traces): off unless the standard
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT names a collector (Jaeger,
// Tempo, Grafana Alloy, an OpenTelemetry Collector: all read OTLP/HTTP). Off, nothing here is
// loaded (the OpenTelemetry packages are imported only when on), no interceptor is added to the
// Temporal client or worker, no hook to the API, and the workflow bundle stays as it was.
//
// On, one trace follows a command through the processes: a span per HTTP request in the API, the
// Temporal client's spans (start, update), the workflow's spans (run, update handler, activity
// scheduling) and the activity's run in the worker, joined by Temporal's own interceptors
// (@temporalio/interceptors-opentelemetry), which carry the context in Temporal's headers.
//
// What a span says: route patterns (never a URL, whose query string can hold the lookup secret),
// methods, status codes, and Temporal's ids (workflow ids are dossier codes, update and activity
// names). Never a body, a name, an ID number, a phone or an address.
import { createRequire } from 'node:module';
import type { Context, Span, Tracer } from '@opentelemetry/api';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Where spans go and what they name their process as. */
export interface TracingSettings {
  /** The OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces. */
  readonly url: string;
  readonly serviceName: string;
}

/** The standard variables (the OpenTelemetry specification's names), as platform/environment.ts parses them. */
export interface TracingEnvironment {
  readonly OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  readonly OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string | undefined;
  readonly OTEL_SERVICE_NAME?: string | undefined;
}

/**
 * The settings the environment asks for, or undefined when tracing is off. As the specification
 * says: the traces endpoint is used as given; the general endpoint gets `/v1/traces` appended.
 */
export function tracingSettings(env: TracingEnvironment, defaultServiceName: string): TracingSettings | undefined {
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (!url) return undefined;
  return { url, serviceName: env.OTEL_SERVICE_NAME ?? defaultServiceName };
}

/** What a process adds to its Temporal client, its worker and its API when tracing is on. */
export interface Tracing {
  readonly settings: TracingSettings;
  readonly tracer: Tracer;
  /** For `new Client({ interceptors })`: a span per start, update, signal, query; the context in the headers. */
  readonly clientInterceptors: ClientInterceptors;
  /**
   * For `Worker.create`: the activities' spans, the workflow interceptor module (which must be in the
   * workflow bundle, so a worker that traces bundles its workflows itself) and the sink the
   * workflow's spans leave the sandbox by.
   */
  readonly worker: Required<Pick<WorkerOptions, 'interceptors' | 'sinks'>>;
  /** Sends the spans still buffered and stops; call it last at shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Installs tracing for this process (a global tracer provider with the W3C trace-context propagator
 * and an async-local context) when `settings` asks for it; undefined, and nothing loaded, when not.
 */
export async function startTracing(settings: TracingSettings | undefined): Promise<Tracing | undefined> {
  if (!settings) return undefined;
  const [api, { NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { Resource }, temporalOtel] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  const resource = new Resource({ 'service.name': settings.serviceName });
  // OTLP/HTTP with JSON bodies (this exporter's encoding); batched so a request never waits for it.
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const tracer = api.trace.getTracer('motcua');
  const workflowInterceptors = createRequire(import.meta.url).resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
  return {
    settings,
    tracer,
    clientInterceptors: { workflow: [new temporalOtel.OpenTelemetryWorkflowClientInterceptor({ tracer })] },
    worker: {
      interceptors: {
        workflowModules: [workflowInterceptors],
        activity: [(ctx) => ({ inbound: new temporalOtel.OpenTelemetryActivityInboundInterceptor(ctx, { tracer }), outbound: new temporalOtel.OpenTelemetryActivityOutboundInterceptor(ctx) })],
      },
      sinks: { exporter: temporalOtel.makeWorkflowExporter(processor, resource) },
    },
    async shutdown() {
      await provider.shutdown();
      api.trace.disable();
      api.propagation.disable();
      api.context.disable();
    },
  };
}

/**
 * A span per HTTP request, named by its method and route pattern, the parent of whatever the
 * handler does (the Temporal client's spans), and the child of the caller's `traceparent` if any.
 * Started when the request arrives, made current for the handler, ended with the response.
 */
export async function traceHttpRequests(app: FastifyInstance, tracer: Tracer): Promise<void> {
  const { context, propagation, SpanKind, SpanStatusCode, trace } = await import('@opentelemetry/api');
  const spans = new WeakMap<FastifyRequest, { span: Span; context: Context }>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions.url ?? 'unknown route';
    const parent = propagation.extract(context.active(), request.headers);
    const span = tracer.startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'http.route': route } }, parent);
    spans.set(request, { span, context: trace.setSpan(parent, span) });
    done();
  });
  // The handler runs from this hook's `done`, so it and everything it starts run in the span.
  app.addHook('preHandler', (request, _reply, done) => {
    const started = spans.get(request);
    if (started) context.with(started.context, done);
    else done();
  });
  const end = (request: FastifyRequest, statusCode: number | undefined) => {
    const started = spans.get(request);
    if (!started) return;
    spans.delete(request);
    if (statusCode !== undefined) started.span.setAttribute('http.response.status_code', statusCode);
    if (statusCode === undefined || statusCode >= 500) started.span.setStatus({ code: SpanStatusCode.ERROR });
    started.span.end();
  };
  app.addHook('onResponse', (request, reply, done) => {
    end(request, reply.statusCode);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    end(request, undefined);
    done();
  });
}
