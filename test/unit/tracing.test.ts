// Tracing is off unless the standard OTLP endpoint variables name a collector, and off costs
// nothing: no OpenTelemetry SDK module loaded, no global tracer or propagator installed
// (platform/tracing.ts, docs/operations.md#metrics-and-traces).
import { createRequire } from 'node:module';
import { propagation, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startTracing, tracingSettings } from '../../platform/tracing.js';
import { readEnvironment } from '../../platform/environment.js';

/** The OpenTelemetry SDK and Temporal's interceptors, as this process has loaded them. */
const loadedTracingModules = () => Object.keys(createRequire(import.meta.url).cache).filter((file) => /@opentelemetry[\\/](sdk-trace|exporter-trace|resources)|interceptors-opentelemetry/.test(file));

describe('the tracing settings', () => {
  it('are off with neither endpoint', () => {
    expect(tracingSettings({}, 'motcua-api')).toBeUndefined();
    expect(tracingSettings(readEnvironment({}), 'motcua-api')).toBeUndefined();
  });

  it('append /v1/traces to the general endpoint and take the traces endpoint as given, which wins', () => {
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }, 'motcua-api')).toEqual({ url: 'http://collector:4318/v1/traces', serviceName: 'motcua-api' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/v1/traces' }, 'motcua-worker')).toEqual({ url: 'http://tempo:4318/otlp/v1/traces', serviceName: 'motcua-worker' });
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SERVICE_NAME: 'motcua-api-hanoi' }, 'motcua-api')?.serviceName).toBe('motcua-api-hanoi');
  });

  it('refuse an endpoint that is not a URL, naming the variable', () => {
    expect(() => readEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('tracing', () => {
  it('off installs nothing and loads nothing; on loads the SDK and installs a recording tracer', async () => {
    expect(await startTracing(tracingSettings({}, 'motcua-api'))).toBeUndefined();
    expect(loadedTracingModules()).toEqual([]);
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
    expect(propagation.fields()).toEqual([]);

    // The same checks see it when it is on (nothing is sent: no span is ended before the shutdown).
    const tracing = await startTracing({ url: 'http://127.0.0.1:9/v1/traces', serviceName: 'motcua-test' });
    try {
      expect(tracing?.worker.interceptors.workflowModules).toEqual([expect.stringMatching(/interceptors-opentelemetry[\\/]lib[\\/]workflow-interceptors/)]);
      expect(loadedTracingModules().length).toBeGreaterThan(0);
      expect(propagation.fields()).toContain('traceparent');
      expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(true);
    } finally {
      await tracing?.shutdown();
    }
  });
});
