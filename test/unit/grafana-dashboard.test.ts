// The Grafana dashboard (deploy/grafana/motcua-dashboard.json) is importable and queries only
// metrics that exist: ours in the process's registry, the Temporal SDK's and server's among their
// documented names (test/support/grafana-dashboard.ts). That a running worker serves the SDK's:
// test/integration/metrics.test.ts.
import { describe, expect, it } from 'vitest';
import '../../api/commands/command-metrics.js';
import { metricsRegistry } from '../../platform/metrics.js';
import { dashboardMetricNames, dashboardPanels, dashboardQueries, familyOf, metricNamesOf, readDashboard, TEMPORAL_SDK_METRICS, TEMPORAL_SERVER_METRICS } from '../support/grafana-dashboard.js';

const dashboard = readDashboard();

/** Our registry's sample names: counters and gauges as named, histograms by their series. */
function ourNames(): Set<string> {
  const names = new Set<string>();
  for (const metric of metricsRegistry.getMetricsAsArray()) {
    const { name, type } = metric as unknown as { name: string; type: string };
    names.add(name);
    if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('the PromQL reader', () => {
  it('finds the metric names, not functions, labels, ranges, grouping or strings', () => {
    expect(metricNamesOf('histogram_quantile(0.99, sum by (le, stream) (rate(motcua_event_append_seconds_bucket{outcome="appended",x=~"a|b"}[$__rate_interval])))')).toEqual(['motcua_event_append_seconds_bucket']);
    expect(metricNamesOf('sum(max by (status) (motcua_dossiers_overdue)) / ignoring(x) sum(motcua_dossiers_open) > 0')).toEqual(['motcua_dossiers_overdue', 'motcua_dossiers_open']);
    expect(metricNamesOf('topk(10, sum without (instance) (rate(service_requests{service_name="frontend"}[5m])))')).toEqual(['service_requests']);
    expect(metricNamesOf('rate(a_total[5m]) and on (job) b_gauge offset 1h')).toEqual(['a_total', 'b_gauge']);
  });
});

describe('the Grafana dashboard', () => {
  it('is a dashboard Grafana imports: a title, a uid, panels on the grid with unique ids, a Prometheus data-source variable', () => {
    expect(dashboard.title).toBeTruthy();
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    const panels = dashboardPanels(dashboard);
    expect(new Set(panels.map((panel) => (panel as { id: number }).id)).size).toBe(panels.length);
    for (const panel of panels) {
      const { gridPos } = panel as { gridPos: { x: number; w: number; h: number } };
      expect(gridPos.x + gridPos.w, panel.title).toBeLessThanOrEqual(24);
      expect(gridPos.h, panel.title).toBeGreaterThan(0);
    }
    const templating = dashboard.templating as { list: { name: string; type: string; query: string }[] };
    expect(templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }));
    for (const panel of panels.filter((candidate) => candidate.type !== 'row')) {
      expect((panel as { datasource?: { uid?: string } }).datasource?.uid, panel.title).toBe('${datasource}');
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
    }
  });

  it('has the panels the operators need: commands, refusals, appends, open and overdue dossiers, deliveries, dead letters, the SDK, the server', () => {
    const names = dashboardMetricNames(dashboard).map(familyOf);
    for (const wanted of ['motcua_commands_total', 'motcua_command_refusals_total', 'motcua_event_append_seconds', 'motcua_dossiers_open', 'motcua_dossiers_overdue', 'motcua_delivery_lag_seconds', 'motcua_deliveries_dead_letters', 'temporal_workflow_task_execution_latency', 'temporal_activity_execution_latency', 'service_latency']) {
      expect(names, wanted).toContain(wanted);
    }
  });

  it('queries only metrics that exist: ours in the registry, the Temporal SDK’s and server’s among their documented names', () => {
    const ours = ourNames();
    const sdk = new Set(TEMPORAL_SDK_METRICS);
    const server = new Set(TEMPORAL_SERVER_METRICS);
    const unknown = dashboardQueries(dashboard).flatMap(({ panel, expr }) =>
      metricNamesOf(expr)
        .filter((name) => (name.startsWith('motcua_') ? !ours.has(name) : name.startsWith('temporal_') ? !sdk.has(familyOf(name)) : !server.has(familyOf(name))))
        .map((name) => `${panel}: ${name}`),
    );
    expect(unknown).toEqual([]);
    expect(dashboardMetricNames(dashboard).length).toBeGreaterThan(15);
  });
});
