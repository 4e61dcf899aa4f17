// `npm run bench -- engine`: the engine under load, as production runs it, on each target of
// bench/engine-targets.ts (BENCH_TARGETS, default dev-server,cluster,baseline), the targets taking
// turns row by row so the machine's noise falls on all of them alike:
// - reception end to end (POST /dossiers → Temporal → PostgreSQL → 201) at concurrency 1, 16 and
//   64, beside a trivial workflow with one activity on the same Temporal server and a bare Fastify
//   route over HTTP;
// - the full lifecycle (reception, acceptance, step, result, return; documents issued alongside):
//   dossiers per second, and CPU per dossier by process (API, worker, Temporal, PostgreSQL, the load
//   generator), metered until the engine has gone quiet so the documents are counted;
// - the lifecycle's floor (bench/lifecycle-floor.ts): a trivial workflow taking the updates and
//   running the activities a lifecycle's history shows, on the same server; lifecycle/floor ratio;
// - memory: the peak resident set of the API and the worker processes, the worker with the heap
//   limit docker-compose.yml gives it.
import { Client, Connection } from '@temporalio/client';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { freePort } from '../dev/free-port.js';
import { cpuMeter, type CpuGroups } from './cpu-meter.js';
import { type LatencyFigure, load, rssSampler, untilQuiet } from './engine-load.js';
import { type EngineTarget, startBaselineTarget, startDevServerTarget, type TargetName, workerNodeOptions } from './engine-targets.js';
import { lifecycleShape, type LifecycleShape, runFloor, startBaselineWorker } from './lifecycle-floor.js';
import { lifecycleDriver, type LifecycleDriver, runLifecycle } from './lifecycle-driver.js';

/** CPU milliseconds per operation, by process: the API, the worker, Temporal, PostgreSQL, the load generator. */
export type CpuShare = Readonly<Record<string, number>>;

export interface TargetFigures {
  readonly target: TargetName;
  readonly description: string;
  readonly reception: readonly (LatencyFigure & { readonly trivialWorkflowPerSecond: number; readonly cpuMsPerReception: CpuShare })[];
  readonly lifecycle: { readonly concurrency: number; readonly dossiers: number; readonly dossiersPerSecond: number; readonly p50Ms: number; readonly cpuMsPerDossier: CpuShare };
  /** What one lifecycle's workflow did, counted from its history in this run. */
  readonly shape: LifecycleShape;
  readonly floor: { readonly concurrency: number; readonly workflows: number; readonly perSecond: number; readonly p50Ms: number; readonly cpuMsPerWorkflow: CpuShare; readonly lifecycleRatio: number };
  readonly peakRssMiB: { readonly api: number; readonly worker: number };
}

export interface EngineFigures {
  readonly workerNodeOptions: string;
  readonly targets: readonly TargetFigures[];
  readonly bareRoute: readonly { readonly concurrency: number; readonly perSecond: number }[];
}

export interface EngineOptions {
  readonly targets: readonly TargetName[];
  readonly baselineRev: string;
  readonly requests: number;
  readonly concurrencies: readonly number[];
  readonly lifecycles: number;
  readonly log: (line: string) => void;
}

/** A target up and ready to measure: its engine, a client on its Temporal, the baseline worker there, the lifecycle driver. */
interface Session {
  readonly target: EngineTarget;
  readonly client: Client;
  readonly driver: LifecycleDriver;
  readonly baselineQueue: string;
  readonly groups: CpuGroups;
  readonly rss: { readonly api: { stop(): number[] }; readonly worker: { stop(): number[] } };
  close(): Promise<void>;
}

async function startTarget(name: TargetName, options: EngineOptions, logger: Logger): Promise<EngineTarget> {
  switch (name) {
    case 'dev-server':
      return startDevServerTarget(logger);
    case 'baseline':
      return startBaselineTarget(options.baselineRev, logger);
    case 'cluster':
      // Loaded only when asked for: it brings dev/cluster.ts and the Temporal Server build with it.
      return (await import('./engine-cluster-target.js')).startClusterTarget(logger);
  }
}

async function openSession(target: EngineTarget): Promise<Session> {
  const connection = await Connection.connect({ address: target.temporalAddress });
  const client = new Client({ connection, namespace: target.namespace });
  const baselineQueue = `bench-baselines-${target.name}-${process.pid}`;
  const worker = await startBaselineWorker(target.temporalAddress, target.namespace, baselineQueue);
  return {
    target,
    client,
    driver: await lifecycleDriver(target.api),
    baselineQueue,
    groups: { ...target.cpuGroups, client: { roots: () => [process.pid], withDescendants: false } },
    rss: { api: rssSampler(() => target.apiPids()), worker: rssSampler(() => target.workerPids()) },
    async close() {
      await worker.stop();
      await connection.close();
    },
  };
}

const perOperation = (cpu: Record<string, number>, operations: number): CpuShare => Object.fromEntries(Object.entries(cpu).map(([name, seconds]) => [name, (seconds * 1000) / operations]));

export async function benchEngine(logger: Logger, options: EngineOptions): Promise<EngineFigures> {
  const sessions: Session[] = [];
  const stopAll = async () => {
    for (const session of sessions.reverse()) {
      await session.close().catch(() => undefined);
      await session.target.stop().catch((error: unknown) => logger.warn({ err: error, target: session.target.name }, 'a target did not stop cleanly'));
    }
  };
  const bare = Fastify();
  bare.post('/dossiers', async (_request, reply) => reply.code(201).send({ dossierCode: 'bare' }));
  const barePort = await freePort();
  await bare.listen({ host: '127.0.0.1', port: barePort });
  try {
    for (const name of options.targets) {
      const started = performance.now();
      const target = await startTarget(name, options, logger);
      try {
        sessions.push(await openSession(target));
      } catch (error) {
        await target.stop();
        throw error;
      }
      options.log(`${name}: up in ${((performance.now() - started) / 1000).toFixed(0)} s: ${target.description}`);
    }

    // Warm up (first bundle load, connections, JIT) with one lifecycle each, whose history gives the floor's shape.
    const shapes = new Map<Session, LifecycleShape>();
    for (const session of sessions) {
      const dossierCode = await runLifecycle(session.driver);
      await untilQuiet(session.target.enginePids());
      const shape = await lifecycleShape(session.client, dossierCode);
      shapes.set(session, shape);
      await runFloor(session.client, session.baselineQueue, shape, 1, 1, `warm-${session.target.name}`);
      await session.client.workflow.execute('trivialWorkflow', { taskQueue: session.baselineQueue, workflowId: `trivial-warm-${session.target.name}-${process.pid}`, args: [] });
      options.log(`${session.target.name}: a lifecycle's history has ${shape.historyEvents} events, ${shape.workflowTasks} workflow tasks, ${shape.updates} updates, ${shape.localActivities} local and ${shape.remoteActivities} remote activities, ${shape.timers} timers, ${shape.childWorkflows} child workflows`);
    }

    const reception = new Map<Session, TargetFigures['reception'][number][]>(sessions.map((session) => [session, []]));
    const bareRoute: { concurrency: number; perSecond: number }[] = [];
    for (const concurrency of options.concurrencies) {
      for (const session of sessions) {
        const meter = cpuMeter(session.groups);
        const engine = await load(concurrency, options.requests, async () => void (await session.driver.receive()));
        const cpuMsPerReception = perOperation(meter.stop(), options.requests);
        const trivial = await load(concurrency, options.requests, async (index) => {
          await session.client.workflow.execute('trivialWorkflow', { taskQueue: session.baselineQueue, workflowId: `trivial-${concurrency}-${index}-${process.pid}`, args: [] });
        });
        reception.get(session)!.push({ ...engine, trivialWorkflowPerSecond: trivial.perSecond, cpuMsPerReception });
        options.log(`${session.target.name}: receptions at concurrency ${concurrency}: ${engine.perSecond.toFixed(1)}/s (trivial workflow ${trivial.perSecond.toFixed(1)}/s)`);
      }
      const route = await load(concurrency, options.requests, async () => {
        const response = await fetch(`http://127.0.0.1:${barePort}/dossiers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        await response.arrayBuffer();
      });
      bareRoute.push({ concurrency, perSecond: route.perSecond });
    }

    // The documents of the dossiers are issued after their commands answered: the meter runs until
    // the engine has gone quiet, so their rendering and signing are counted.
    const concurrency = 16;
    const lifecycles = new Map<Session, TargetFigures['lifecycle']>();
    const floors = new Map<Session, Omit<TargetFigures['floor'], 'lifecycleRatio'>>();
    for (const session of sessions) {
      const meter = cpuMeter(session.groups);
      const figure = await load(concurrency, options.lifecycles, async () => void (await runLifecycle(session.driver)));
      await untilQuiet(session.target.enginePids());
      lifecycles.set(session, { concurrency, dossiers: figure.requests, dossiersPerSecond: figure.perSecond, p50Ms: figure.p50Ms, cpuMsPerDossier: perOperation(meter.stop(), figure.requests) });
      options.log(`${session.target.name}: lifecycles: ${figure.perSecond.toFixed(2)} dossiers/s`);
    }
    for (const session of sessions) {
      const meter = cpuMeter(session.groups);
      const figure = await runFloor(session.client, session.baselineQueue, shapes.get(session)!, concurrency, options.lifecycles, session.target.name);
      await untilQuiet([...(session.groups.temporal?.roots() ?? [])]); // the remote activities left run after the last update answered
      floors.set(session, { concurrency, workflows: figure.requests, perSecond: figure.perSecond, p50Ms: figure.p50Ms, cpuMsPerWorkflow: perOperation(meter.stop(), figure.requests) });
      options.log(`${session.target.name}: floor: ${figure.perSecond.toFixed(2)} workflows/s`);
    }

    const targets = sessions.map((session): TargetFigures => {
      const lifecycle = lifecycles.get(session)!;
      const floor = floors.get(session)!;
      return {
        target: session.target.name,
        description: session.target.description,
        reception: reception.get(session)!,
        lifecycle,
        shape: shapes.get(session)!,
        floor: { ...floor, lifecycleRatio: lifecycle.dossiersPerSecond / floor.perSecond },
        peakRssMiB: { api: Math.max(0, ...session.rss.api.stop()), worker: Math.max(0, ...session.rss.worker.stop()) },
      };
    });
    return { workerNodeOptions: workerNodeOptions(), targets, bareRoute };
  } finally {
    await stopAll();
    await bare.close();
  }
}
