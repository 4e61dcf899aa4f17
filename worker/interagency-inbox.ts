// The relay's side of the outside systems' answers (docs/integrations.md#answers-from-the-systems):
// a sweep that applies every lane with answers still waiting (after a crash, when Temporal is back,
// when a hold has run out), and a poller per system that answers only when asked (`answers: "poll"`),
// every `pollSeconds`: the system's adapter's pollAnswers (integrations/interagency/port.ts) when it
// has one, else the reference contract's GET {baseUrl}/answers?after=<cursor>&limit=50 with its bearer
// token. A page's answers and the cursor after it are stored in one transaction, then applied; a page
// that is not the contract is logged and asked again later, the cursor unmoved. Started beside the outbox's relay.
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { applyLane, type AnswerApplierDeps } from '../activities/interagency-answers.js';
import { type InboxAnswer, pollCursorOf, storeAnswers, waitingLanes } from '../db/interagency/answers.js';
import type { Database } from '../db/schema.js';
import type { DocumentStore } from '../documents/document-store.js';
import { FileRefused } from '../documents/files/file-refused.js';
import { answerPageSchema, type InteragencyAnswer, MAX_ANSWERS_PER_MESSAGE } from '../domain/interagency/answer.js';
import { type PolledAnswers, PolledPageMalformed } from '../integrations/interagency/port.js';
import { pollReferenceAnswers } from '../integrations/interagency/reference-channel.js';
import type { InteragencySystem } from '../domain/interagency/systems.js';
import { keptAnswer, prepareAnswers } from '../integrations/interagency/answer-files.js';
import { holdMsOf, type InteragencyInbound } from '../integrations/interagency/inbound-config.js';
import { recordInteragencyAnswer } from '../platform/metrics.js';
import { type Polling, startPolling } from '../platform/polling.js';

export interface InteragencyInboxDeps {
  readonly db: Kysely<Database>;
  readonly temporal: Client;
  /** The dossiers' task queue (not the outbox's). */
  readonly taskQueue: string;
  readonly commandTimeoutMs?: number;
  readonly store: DocumentStore;
  readonly config: InteragencyInbound;
  /**
   * How each polled system is asked for a page: its adapter's pollAnswers (the outbox's channels,
   * integrations/interagency/port.ts). A system without one is polled in the reference contract.
   */
  readonly pollers?: Partial<Record<InteragencySystem, (after: string | null) => Promise<PolledAnswers>>>;
  readonly logger: Logger;
  /** How often the sweep looks for lanes waiting (5 s). */
  readonly sweepMs?: number;
  /** Lanes applied per sweep (100). */
  readonly lanesPerSweep?: number;
  readonly now?: () => Date;
  /** false: no loops run; the caller calls sweepOnce and pollOnce itself (tests, a one-off catch-up). */
  readonly loops?: boolean;
}

export interface InteragencyInbox {
  /** Applies every lane waiting now (the loop does it every `sweepMs`). */
  sweepOnce(): Promise<{ readonly lanes: number }>;
  /** Polls one system once (its loop does it every `pollSeconds`). */
  pollOnce(system: InteragencySystem): Promise<{ readonly stored: number }>;
  stop(): Promise<void>;
}

/** Pages read in one poll round when each comes back full. */
const MAX_PAGES_PER_ROUND = 10;

export function startInteragencyInbox(deps: InteragencyInboxDeps): InteragencyInbox {
  const { db, logger, config } = deps;
  const applier: AnswerApplierDeps = {
    db,
    temporal: deps.temporal,
    taskQueue: deps.taskQueue,
    commandTimeoutMs: deps.commandTimeoutMs ?? 20_000,
    log: logger as unknown as FastifyBaseLogger,
    holdMsOf: (system) => holdMsOf(config, system),
    ...(deps.now ? { now: deps.now } : {}),
  };

  const sweepOnce = async () => {
    const lanes = await waitingLanes(db, deps.lanesPerSweep ?? 100);
    for (const lane of lanes) await applyLane(applier, lane.system as InteragencySystem, lane.dossierCode);
    return { lanes: lanes.length };
  };

  const pollOnce = async (system: InteragencySystem) => {
    const settings = config.systems[system];
    if (!settings) return { stored: 0 };
    let stored = 0;
    const poll = deps.pollers?.[system] ?? ((after: string | null) => pollReferenceAnswers(system, settings, after));
    for (let page = 0; page < MAX_PAGES_PER_ROUND; page += 1) {
      const cursor = await pollCursorOf(db, system);
      let served: PolledAnswers;
      try {
        served = await poll(cursor);
      } catch (error) {
        if (!(error instanceof PolledPageMalformed)) throw error;
        logger.warn({ system, issues: error.issues }, `interagency poll: ${error.message}; the cursor stays, asked again at the next round`);
        return { stored };
      }
      // An adapter's translation is checked against the contract like the reference page is.
      const parsed = answerPageSchema.safeParse(served);
      if (!parsed.success) {
        logger.warn({ system, issues: parsed.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.join('.'), message: issue.message })) }, 'interagency poll: the page is not the contract; the cursor stays, asked again at the next round');
        return { stored };
      }
      const answers = await Promise.all(parsed.data.answers.map((answer) => keptOrRefused(deps.store, system, answer)));
      const verdicts = await storeAnswers(db, system, 'poll', answers, { onChanged: 'keep-first', cursor: parsed.data.next ?? cursor });
      verdicts.forEach((verdict, index) => {
        recordInteragencyAnswer(system, verdict);
        if (verdict === 'changed') logger.warn({ system, answerId: answers[index]!.answerId }, 'interagency poll: an answer id came again with another content; the first is kept');
      });
      stored += verdicts.filter((verdict) => verdict === 'stored').length;
      const lanes = new Set(answers.filter((answer, index) => verdicts[index] === 'stored' && !answer.refused).map((answer) => answer.dossierCode));
      for (const dossierCode of lanes) await applyLane(applier, system, dossierCode);
      if (parsed.data.next === null || parsed.data.answers.length < MAX_ANSWERS_PER_MESSAGE) break;
    }
    return { stored };
  };

  const loops: Polling[] = [];
  if (deps.loops !== false) loops.push(startPolling({ round: sweepOnce, pollMs: deps.sweepMs ?? 5_000, logger, what: 'interagency answers sweep' }));
  for (const [system, settings] of Object.entries(config.systems)) {
    if (settings?.answers !== 'poll' || deps.loops === false) continue;
    loops.push(startPolling({ round: () => pollOnce(system as InteragencySystem), pollMs: settings.pollSeconds * 1000, logger, what: `interagency poll of ${system}` }));
  }
  logger.info({ polled: Object.entries(config.systems).filter(([, settings]) => settings?.answers === 'poll').map(([system]) => system) }, 'interagency answers inbox running');
  return {
    sweepOnce,
    pollOnce,
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

/** A polled answer as the inbox keeps it; one whose file is refused is kept as refused with the file rule's code. */
async function keptOrRefused(store: DocumentStore, system: InteragencySystem, answer: InteragencyAnswer): Promise<InboxAnswer> {
  try {
    const [prepared] = await prepareAnswers(store, system, [answer], () => 'file.contentBase64');
    return prepared!;
  } catch (error) {
    if (!(error instanceof FileRefused)) throw error;
    return { ...keptAnswer(system, answer), refused: { code: error.code, message: error.message } };
  }
}
