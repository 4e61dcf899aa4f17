// The engine benchmark's tables (bench/engine-throughput.ts): one per target, then the targets side by side.
import type { CpuShare, EngineFigures, TargetFigures } from './engine-throughput.js';

const total = (share: CpuShare) => Object.values(share).reduce((sum, ms) => sum + ms, 0);

/** The tables of a run: one per target, then the targets side by side. */
export function printEngineFigures(figures: EngineFigures, requests: number): void {
  const bareAt = (concurrency: number) => figures.bareRoute.find((row) => row.concurrency === concurrency)?.perSecond ?? Number.NaN;
  for (const t of figures.targets) {
    console.log(`\n[${t.target}] ${t.description}`);
    console.log(`Reception end to end (POST /dossiers → Temporal → PostgreSQL → 201), ${requests} requests per row, beside a trivial workflow with one activity on the same server and a bare Fastify route`);
    console.table(
      t.reception.map((f) => ({
        concurrency: f.concurrency,
        'receptions/s': f.perSecond.toFixed(1),
        'p50 ms': f.p50Ms.toFixed(1),
        'p99 ms': f.p99Ms.toFixed(1),
        'trivial workflow/s': f.trivialWorkflowPerSecond.toFixed(1),
        'vs trivial': (f.perSecond / f.trivialWorkflowPerSecond).toFixed(2),
        'bare route/s': Math.round(bareAt(f.concurrency)),
        'vs bare': (f.perSecond / bareAt(f.concurrency)).toFixed(3),
      })),
    );
    const s = t.shape;
    console.log(`Full lifecycle, concurrency ${t.lifecycle.concurrency}: ${t.lifecycle.dossiersPerSecond.toFixed(2)} dossiers/s over ${t.lifecycle.dossiers}, p50 ${t.lifecycle.p50Ms.toFixed(0)} ms per dossier`);
    console.log(`Its floor (${s.updates} updates, ${s.localActivities} local + ${s.remoteActivities} remote activities, as a lifecycle's history in this run): ${t.floor.perSecond.toFixed(2)} workflows/s, p50 ${t.floor.p50Ms.toFixed(0)} ms; lifecycle/floor ${t.floor.lifecycleRatio.toFixed(2)} (goal ≥ 0.5)`);
    console.log('CPU per operation (ms), by process: where the time goes');
    const cpuRow = (operation: string, share: CpuShare) => ({ operation, ...Object.fromEntries(Object.entries(share).map(([name, ms]) => [name, ms.toFixed(1)])), total: total(share).toFixed(1) });
    console.table([...t.reception.map((f) => cpuRow(`reception, concurrency ${f.concurrency}`, f.cpuMsPerReception)), cpuRow('full lifecycle, per dossier', t.lifecycle.cpuMsPerDossier), cpuRow('its floor, per workflow', t.floor.cpuMsPerWorkflow)]);
    console.log(`Peak resident memory (the largest process of each kind): API ${t.peakRssMiB.api.toFixed(0)} MiB, worker ${t.peakRssMiB.worker.toFixed(0)} MiB (worker NODE_OPTIONS ${figures.workerNodeOptions})`);
    console.log('"client" is this process: the load generator, the workers of the floor and the one-activity baseline, and the cluster\'s round-robin front.');
  }
  const baseline = figures.targets.find((t) => t.target === 'baseline');
  console.log(`\nThe targets side by side (one run, taking turns row by row)${baseline ? '; "vs baseline" is CPU per lifecycle against the baseline\'s' : ''}`);
  // Every process group any target has (the cluster has a relay; the others run none).
  const groups = [...new Set(figures.targets.flatMap((t) => Object.keys(t.lifecycle.cpuMsPerDossier)))];
  const row = (measure: string, value: (t: TargetFigures) => string) => ({ measure, ...Object.fromEntries(figures.targets.map((t) => [t.target, value(t)])) });
  console.table([
    ...(figures.targets[0]?.reception ?? []).map((_, i) => row(`receptions/s, concurrency ${figures.targets[0]!.reception[i]!.concurrency}`, (t) => t.reception[i]?.perSecond.toFixed(1) ?? '—')),
    ...(figures.targets[0]?.reception ?? []).map((_, i) => row(`trivial workflow/s, concurrency ${figures.targets[0]!.reception[i]!.concurrency}`, (t) => t.reception[i]?.trivialWorkflowPerSecond.toFixed(1) ?? '—')),
    row('reception CPU ms, concurrency 16', (t) => { const f = t.reception.find((r) => r.concurrency === 16); return f ? total(f.cpuMsPerReception).toFixed(1) : '—'; }),
    row('lifecycles/s', (t) => t.lifecycle.dossiersPerSecond.toFixed(2)),
    row('lifecycle p50 ms', (t) => t.lifecycle.p50Ms.toFixed(0)),
    ...groups.map((name) => row(`lifecycle CPU ms: ${name}`, (t) => (t.lifecycle.cpuMsPerDossier[name] ?? 0).toFixed(1))),
    row('lifecycle CPU ms: total', (t) => total(t.lifecycle.cpuMsPerDossier).toFixed(1)),
    ...(groups.includes('relay') ? [row('lifecycle CPU ms: total without the relay', (t) => (total(t.lifecycle.cpuMsPerDossier) - (t.lifecycle.cpuMsPerDossier.relay ?? 0)).toFixed(1))] : []),
    ...(baseline ? [row('lifecycle CPU vs baseline', (t) => (total(t.lifecycle.cpuMsPerDossier) / total(baseline.lifecycle.cpuMsPerDossier)).toFixed(2))] : []),
    row('floor: updates / activities', (t) => `${t.shape.updates} / ${t.shape.localActivities}+${t.shape.remoteActivities}`),
    row('floor workflows/s', (t) => t.floor.perSecond.toFixed(2)),
    row('floor CPU ms (all processes)', (t) => total(t.floor.cpuMsPerWorkflow).toFixed(1)),
    row('lifecycle / floor (goal ≥ 0.5)', (t) => t.floor.lifecycleRatio.toFixed(2)),
    row('API peak RSS MiB', (t) => t.peakRssMiB.api.toFixed(0)),
    row('worker peak RSS MiB', (t) => t.peakRssMiB.worker.toFixed(0)),
  ]);
}
