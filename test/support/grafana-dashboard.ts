// The metrics the Grafana dashboard (deploy/grafana/motcua-dashboard.json) queries: every panel's
// PromQL, its label matchers, ranges, grouping clauses and strings taken out, leaves the function
// names (followed by a parenthesis) and the metric names. Checked by test/unit/grafana-dashboard.test.ts
// (each exists) and test/integration/metrics.test.ts (the SDK's are served by a running worker).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const DASHBOARD_PATH = fileURLToPath(new URL('../../deploy/grafana/motcua-dashboard.json', import.meta.url));

interface Panel {
  readonly title?: string;
  readonly type?: string;
  readonly targets?: readonly { readonly expr?: string; readonly refId?: string }[];
  readonly panels?: readonly Panel[];
}
export interface Dashboard {
  readonly title: string;
  readonly uid: string;
  readonly panels: readonly Panel[];
  readonly [key: string]: unknown;
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(DASHBOARD_PATH, 'utf8')) as Dashboard;
}

/** Every panel, rows' nested panels included. */
export function dashboardPanels(dashboard: Dashboard = readDashboard()): Panel[] {
  const all: Panel[] = [];
  const visit = (panels: readonly Panel[]) => {
    for (const panel of panels) {
      all.push(panel);
      if (panel.panels) visit(panel.panels);
    }
  };
  visit(dashboard.panels);
  return all;
}

/** Every query of the dashboard, with its panel's title. */
export function dashboardQueries(dashboard: Dashboard = readDashboard()): { readonly panel: string; readonly expr: string }[] {
  return dashboardPanels(dashboard).flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title ?? '(untitled)', expr: target.expr ?? '' })));
}

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset', 'inf', 'nan']);

/** The metric names one PromQL expression selects. */
export function metricNamesOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/(?<![\w$])([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)].map((match) => match[1]!).filter((name) => !PROMQL_WORDS.has(name));
  return [...new Set(names)];
}

/** Every metric name the dashboard queries (sorted, once each). */
export function dashboardMetricNames(dashboard: Dashboard = readDashboard()): string[] {
  return [...new Set(dashboardQueries(dashboard).flatMap(({ expr }) => metricNamesOf(expr)))].sort();
}

/**
 * The Temporal SDK's metrics the dashboard may query: the names Core exports through its Prometheus
 * exporter in @temporalio/worker 1.24 (Temporal's SDK metrics reference; histograms as
 * `<name>_bucket`, in seconds with useSecondsForDurations). test/integration/metrics.test.ts checks
 * a running worker serves each, except those only a failure brings (SDK_FAILURE_METRICS).
 */
export const TEMPORAL_SDK_METRICS: readonly string[] = [
  'temporal_activity_execution_failed',
  'temporal_activity_execution_latency',
  'temporal_activity_schedule_to_start_latency',
  'temporal_activity_succeed_endtoend_latency',
  'temporal_activity_task_received',
  'temporal_local_activity_execution_latency',
  'temporal_local_activity_succeed_endtoend_latency',
  'temporal_local_activity_total',
  'temporal_long_request',
  'temporal_long_request_latency',
  'temporal_num_pollers',
  'temporal_request',
  'temporal_request_failure',
  'temporal_request_latency',
  'temporal_sticky_cache_hit',
  'temporal_sticky_cache_miss',
  'temporal_sticky_cache_size',
  'temporal_worker_start',
  'temporal_worker_task_slots_available',
  'temporal_worker_task_slots_used',
  'temporal_workflow_completed',
  'temporal_workflow_endtoend_latency',
  'temporal_workflow_failed',
  'temporal_workflow_task_execution_failed',
  'temporal_workflow_task_execution_latency',
  'temporal_workflow_task_queue_poll_succeed',
  'temporal_workflow_task_replay_latency',
  'temporal_workflow_task_schedule_to_start_latency',
];

/** SDK metrics a worker exports only once something failed: a healthy run does not show them. */
export const SDK_FAILURE_METRICS: ReadonlySet<string> = new Set(['temporal_activity_execution_failed', 'temporal_workflow_task_execution_failed', 'temporal_request_failure', 'temporal_workflow_failed', 'temporal_sticky_cache_miss']);

/**
 * The Temporal Server's metrics the dashboard may query, as its Prometheus endpoint names them:
 * defined in go.temporal.io/server v1.29.1 common/metrics/metric_defs.go (timers as histograms in
 * seconds), seen on the dev server of the same version (`temporal server start-dev --metrics-port`).
 */
export const TEMPORAL_SERVER_METRICS: readonly string[] = ['service_requests', 'service_latency', 'service_pending_requests', 'persistence_requests', 'persistence_latency', 'persistence_errors'];

/** A name without a histogram's or summary's suffix: its family's. */
export function familyOf(name: string): string {
  return name.replace(/_(bucket|count|sum)$/, '');
}
