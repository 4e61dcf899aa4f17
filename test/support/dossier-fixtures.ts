// Building blocks for tests of the dossier: the sample catalogue pinned as the API pins it, actors
// at the sample agencies, and a tiny in-memory host that plays commands through the same decide →
// evolve loop the workflow runs, for tests of what a whole stream feeds (documents, reports, the
// catch-up). Tests of the rules themselves are given events instead (decider-spec.ts, dossier-history.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { catalogueFileSchema, type CatalogueFile } from '../../domain/catalogue/catalogue-file.js';
import { versionInForce } from '../../domain/catalogue/procedure.js';
import { resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import type { Actor, Role } from '../../domain/dossier/actor.js';
import type { AcceptDossier, DossierCommand, LifecycleCommand, ReceiveDossier } from '../../domain/dossier/commands.js';
import type { AttachComponentFile } from '../../domain/dossier/file-commands.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { DossierEvent } from '../../domain/dossier/events.js';
import { evolveDossier, newDossier, type DossierState, type ReceivedDossier } from '../../domain/dossier/state.js';

export const CATALOGUE: CatalogueFile = catalogueFileSchema.parse(JSON.parse(readFileSync(new URL('../../catalogue/sample-catalogue.json', import.meta.url), 'utf8')));

export const CENTRE = '000.01.01.H99';
export const JUSTICE = '000.02.01.H99';
export const ECONOMY = '000.03.01.H99';
/** The sample's second commune's one-stop centre (An Phú). */
export const CENTRE_B = '000.01.02.H99';
/** The sample directory's communes (administrative unit codes). */
export const HOA_BINH = '99001';
export const AN_PHU = '99002';
export const LAND_OFFICE = '000.20.99.H99';
export const TAX_OFFICE = '000.30.99.H99';

export const LAND_PROCEDURE = '1.004227';
export const BUSINESS_PROCEDURE = '2.000720';

/** The national payment platform, as its edge records a confirmed online payment (docs/rules.md#payment-requests-and-online-payments). */
export const PAYMENT_PLATFORM: Actor = { userId: 'payment-platform:national', role: 'payment-platform', agencyCode: '000.01.01.H99' };

export function actor(role: Role, agencyCode: string, userId = `${role}@${agencyCode}`): Actor {
  return { userId, role, agencyCode };
}

/**
 * The sample procedure in force on the day as an acceptance pins it: its roles resolved by the sample directory for the
 * locality the receiving centre serves (Hòa Bình for CENTRE), or for `where.localityCode`.
 */
export function pinned(procedureCode: string, calendarVersion = '2025.1', where: { readonly receivingAgencyCode?: string; readonly localityCode?: string; readonly day?: string } = {}): AcceptDossier['pinned'] {
  const day = where.day ?? '2026-03-02';
  const listed = versionInForce(CATALOGUE.procedures.filter((candidate) => candidate.code === procedureCode), day);
  if (!listed) throw new Error(`no sample procedure ${procedureCode}`);
  const resolved = resolveProcedure({ procedure: listed, directory: CATALOGUE.directory ?? null, receivingAgencyCode: where.receivingAgencyCode ?? CENTRE, localityCode: where.localityCode, day });
  if (!resolved.ok) throw new Error(resolved.error.message);
  return { procedure: resolved.procedure, agencies: CATALOGUE.agencies, calendarVersion, ...(resolved.record ? { resolution: resolved.record } : {}) };
}

/** All required components of a sample procedure, as reception checked them. */
export function completeComponents(procedureCode: string): AcceptDossier['components'] {
  return pinned(procedureCode)
    .procedure.components.filter((component) => component.required)
    .map((component) => ({ componentId: component.id, form: component.form }));
}

/**
 * The files of a dossier's required components as reception digitises them: a scan of each, approved
 * as it is attached, or for a component the procedure marks reusable the applicant's copy taken from
 * the national portal's data store. Digests only: the scenario never stores bytes.
 */
export function componentFiles(dossierCode: string, procedureCode: string): Omit<AttachComponentFile, 'type' | 'commandId' | 'dossierCode' | 'actor'>[] {
  return pinned(procedureCode)
    .procedure.components.filter((component) => component.required)
    .map((component) => ({
      componentId: component.id,
      file: { sha256: createHash('sha256').update(`${dossierCode}/${component.id}`).digest('hex'), size: 2048, mediaType: 'application/pdf' as const, pages: 1 },
      origin: component.reusableFromData ? { kind: 'data-store' as const, store: 'national-portal' as const } : { kind: 'upload' as const },
      approve: true,
    }));
}

const at = (local: string) => `${local}+07:00`;
export { at };

/** A dossier and the commands played on it so far, with the time each was decided. */
export class DossierScenario {
  state: DossierState;
  readonly events: DossierEvent[] = [];
  #commands = 0;

  constructor(
    readonly dossierCode: string,
    readonly procedureCode: string,
  ) {
    this.state = newDossier(dossierCode);
  }

  static received(procedureCode: string, receivedLocal = '2026-03-02T08:30:00', serial = 1, channel: ReceiveDossier['channel'] = 'counter'): DossierScenario {
    const date = receivedLocal.slice(2, 10).replaceAll('-', '');
    const scenario = new DossierScenario(`${CENTRE}-${date}-${String(serial).padStart(4, '0')}`, procedureCode);
    const receive: ReceiveDossier = {
      type: 'ReceiveDossier',
      commandId: 'receive',
      actor: actor('reception', CENTRE),
      dossierCode: scenario.dossierCode,
      agencyCode: CENTRE,
      procedureCode,
      channel,
      applicant: { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '038190001234' },
      receivedAt: new Date(at(receivedLocal)).toISOString(),
      centre: (({ name, superior, place }) => ({ name, ...(superior ? { superior } : {}), ...(place ? { place } : {}) }))(CATALOGUE.agencies.find((agency) => agency.code === CENTRE)!),
    };
    scenario.play(receive, receivedLocal);
    return scenario;
  }

  /** The command's fields without its envelope; the scenario adds type, id and dossier code. */
  command<T extends LifecycleCommand['type']>(type: T, actorOfCommand: Actor, fields: Omit<Extract<LifecycleCommand, { type: T }>, 'type' | 'commandId' | 'dossierCode' | 'actor'>): Extract<LifecycleCommand, { type: T }> {
    this.#commands += 1;
    return { type, commandId: `cmd-${this.#commands}`, dossierCode: this.dossierCode, actor: actorOfCommand, ...fields } as Extract<LifecycleCommand, { type: T }>;
  }

  decide(command: DossierCommand, local: string) {
    return decideDossier(this.state, command, { now: new Date(at(local)).toISOString(), streamVersion: this.events.length });
  }

  /** Plays a command that must be accepted; returns its events. */
  play(command: DossierCommand, local: string): readonly DossierEvent[] {
    const decision = this.decide(command, local);
    if (!decision.ok) throw new Error(`${command.type} at ${local} was refused: ${decision.error.code}: ${decision.error.message}`);
    for (const event of decision.events) this.state = evolveDossier(this.state, event);
    this.events.push(...decision.events);
    return decision.events;
  }

  get received(): ReceivedDossier {
    if (this.state.status === 'none') throw new Error('not received');
    return this.state;
  }

  /** Reception digitises the required components (componentFiles), then accepts the dossier. */
  accept(local: string): readonly DossierEvent[] {
    this.digitise(local);
    return this.play(this.command('AcceptDossier', actor('reception', CENTRE), { components: completeComponents(this.procedureCode), pinned: pinned(this.procedureCode) }), local);
  }

  /** Each required component's file attached and approved at reception, as componentFiles gives them. */
  digitise(local: string): readonly DossierEvent[] {
    return componentFiles(this.dossierCode, this.procedureCode).flatMap((file) => this.play(this.command('AttachComponentFile', actor('reception', CENTRE), file), local));
  }
}
