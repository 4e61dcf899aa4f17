// One catalogue for a whole province: a procedure names roles ("the civil-status officer of the
// commune", "the land registration office branch that serves it", "the tax office of the area"),
// and acceptance resolves them from the agency directory for the dossier's locality on its day.
import { describe, expect, it } from 'vitest';
import { catalogueFileSchema } from '../../domain/catalogue/catalogue-file.js';
import { type AgencyDirectory, agencyDirectorySchema } from '../../domain/catalogue/directory.js';
import { type CatalogueProcedure, catalogueProcedureSchema, procedureVersionSchema, versionInForce } from '../../domain/catalogue/procedure.js';
import { resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import { decideDossier } from '../../domain/dossier/decide.js';
import type { ReceiveDossier } from '../../domain/dossier/commands.js';
import { evolveDossier, newDossier } from '../../domain/dossier/state.js';
import { actor, AN_PHU, CATALOGUE, CENTRE, CENTRE_B, completeComponents, JUSTICE, LAND_OFFICE, LAND_PROCEDURE, HOA_BINH, pinned, TAX_OFFICE } from '../support/dossier-fixtures.js';

const DIRECTORY = CATALOGUE.directory!;
const JUSTICE_B = '000.02.02.H99';
const ECONOMY_A = '000.03.01.H99';
const ECONOMY_B = '000.03.02.H99';
const BIRTH = '1.001193';
const DAY = '2026-03-02';

/** The version in force on DAY: 2026.1, which names roles (2025.1 named Hòa Bình's bodies by code). */
const listed = (code: string): CatalogueProcedure => versionInForce(CATALOGUE.procedures.filter((procedure) => procedure.code === code), DAY)!;

function resolve(code: string, where: { receivingAgencyCode?: string; localityCode?: string; day?: string; directory?: AgencyDirectory | null } = {}) {
  return resolveProcedure({
    procedure: listed(code),
    directory: where.directory === undefined ? DIRECTORY : where.directory,
    receivingAgencyCode: where.receivingAgencyCode ?? CENTRE,
    localityCode: where.localityCode,
    day: where.day ?? DAY,
  });
}

function resolved(...args: Parameters<typeof resolve>) {
  const result = resolve(...args);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

function refused(...args: Parameters<typeof resolve>) {
  const result = resolve(...args);
  if (result.ok) throw new Error('resolved, but a refusal was expected');
  return result.error;
}

/** The sample directory with its entries changed, checked as a province's file would be. */
function directoryWith(change: (directory: AgencyDirectory) => AgencyDirectory): AgencyDirectory {
  return agencyDirectorySchema.parse(change(structuredClone(DIRECTORY)));
}

const stepAgencies = (procedure: { route: { stages: { steps: { id: string; agencyCode: string }[] }[] } }) =>
  Object.fromEntries(procedure.route.stages.flatMap((stage) => stage.steps.map((step) => [step.id, step.agencyCode])));

describe('one procedure version for every commune of the province', () => {
  it('resolves birth registration to the civil-status officer of the commune whose centre received it', () => {
    const atHoaBinh = resolved(BIRTH, { receivingAgencyCode: CENTRE });
    const atAnPhu = resolved(BIRTH, { receivingAgencyCode: CENTRE_B });
    expect(atHoaBinh.procedure.competentAgencyCode).toBe(JUSTICE);
    expect(stepAgencies(atHoaBinh.procedure)).toEqual({ 'civil-status': JUSTICE });
    expect(atAnPhu.procedure.competentAgencyCode).toBe(JUSTICE_B);
    expect(stepAgencies(atAnPhu.procedure)).toEqual({ 'civil-status': JUSTICE_B });
    // Same version, same time limit and papers: only the bodies differ.
    expect({ ...atAnPhu.procedure, competentAgencyCode: JUSTICE, route: atHoaBinh.procedure.route }).toEqual(atHoaBinh.procedure);
    expect(atAnPhu.record).toMatchObject({ directoryVersion: 'H99-2025.1', day: DAY, locality: { code: AN_PHU, name: 'Xã An Phú' }, localityFrom: 'receiving-centre' });
  });

  it('sends both communes’ land dossiers to the shared land office branch and area tax office, each verified by its own commune', () => {
    const atHoaBinh = resolved(LAND_PROCEDURE, { receivingAgencyCode: CENTRE });
    const atAnPhu = resolved(LAND_PROCEDURE, { receivingAgencyCode: CENTRE_B });
    expect(stepAgencies(atHoaBinh.procedure)).toEqual({ 'commune-verification': ECONOMY_A, 'land-registration': LAND_OFFICE, 'tax-assessment': TAX_OFFICE, 'certificate-issuance': LAND_OFFICE });
    expect(stepAgencies(atAnPhu.procedure)).toEqual({ 'commune-verification': ECONOMY_B, 'land-registration': LAND_OFFICE, 'tax-assessment': TAX_OFFICE, 'certificate-issuance': LAND_OFFICE });
    expect(atAnPhu.procedure.competentAgencyCode).toBe(LAND_OFFICE);
    expect(atAnPhu.record?.assignments).toEqual([
      { target: 'competent', role: 'land-registration-branch', agencyCode: LAND_OFFICE, servedUnitCode: AN_PHU },
      { target: 'commune-verification', role: 'commune-economic-office', agencyCode: ECONOMY_B, servedUnitCode: AN_PHU },
      { target: 'land-registration', role: 'land-registration-branch', agencyCode: LAND_OFFICE, servedUnitCode: AN_PHU },
      { target: 'tax-assessment', role: 'area-tax-office', agencyCode: TAX_OFFICE, servedUnitCode: AN_PHU },
      { target: 'certificate-issuance', role: 'land-registration-branch', agencyCode: LAND_OFFICE, servedUnitCode: AN_PHU },
    ]);
  });

  it('pins a resolved procedure that the dossier schema takes as it is, with concrete codes only', () => {
    const { procedure } = resolved(LAND_PROCEDURE, { receivingAgencyCode: CENTRE_B });
    expect(procedureVersionSchema.parse(procedure)).toEqual(procedure);
    expect(JSON.stringify(procedure)).not.toMatch(/"role"|competentRole/);
  });

  it('leaves a procedure with fixed agency codes as it was, with no record, for the commune its agencies serve', () => {
    const fixed = catalogueProcedureSchema.parse({ ...listed('2.000720'), competentRole: undefined, competentAgencyCode: ECONOMY_A, route: { stages: [{ steps: [{ id: 'business-registration', agencyCode: ECONOMY_A, task: 'Thẩm định', budget: { unit: 'working-days', amount: 3 } }] }] } });
    for (const directory of [DIRECTORY, null]) {
      const result = resolveProcedure({ procedure: fixed, directory, receivingAgencyCode: CENTRE, day: DAY });
      expect(result).toEqual({ ok: true, procedure: procedureVersionSchema.parse(fixed) });
    }
    // Without a directory nothing says whom Hòa Bình's office serves; with one, An Phú's centre is not sent to it.
    expect(resolveProcedure({ procedure: fixed, directory: null, receivingAgencyCode: CENTRE_B, day: DAY })).toEqual({ ok: true, procedure: procedureVersionSchema.parse(fixed) });
    expect(resolveProcedure({ procedure: fixed, directory: DIRECTORY, receivingAgencyCode: CENTRE_B, day: DAY })).toMatchObject({ ok: false, error: { code: 'JURISDICTION_UNRESOLVED' } });
  });
});

describe('reception regardless of administrative boundary', () => {
  it('resolves a dossier received at Hòa Bình for An Phú by An Phú’s bodies', () => {
    const result = resolved(BIRTH, { receivingAgencyCode: CENTRE, localityCode: AN_PHU });
    expect(result.procedure.competentAgencyCode).toBe(JUSTICE_B);
    expect(result.record).toMatchObject({ locality: { code: AN_PHU }, localityFrom: 'reception-request' });
  });

  it('follows a merged commune to its successor and records the name reception used', () => {
    const result = resolved(BIRTH, { receivingAgencyCode: CENTRE_B, localityCode: '99101' });
    expect(result.procedure.competentAgencyCode).toBe(JUSTICE);
    expect(result.record).toMatchObject({ locality: { code: HOA_BINH }, namedLocalityCode: '99101' });
  });

  it('refuses a locality the directory does not know, naming the field to fix', () => {
    expect(refused(BIRTH, { localityCode: '99999' })).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality', message: expect.stringContaining('No administrative unit 99999') });
  });

  it('asks a centre that serves several communes to name the locality', () => {
    const provincial = directoryWith((directory) => ({ ...directory, entries: [...directory.entries, { agencyCode: '000.00.99.H99', roles: ['provincial-service-centre'], serves: [HOA_BINH, AN_PHU], validFrom: '2025-07-01', validUntil: null, successorCode: null }] }));
    const error = refused(BIRTH, { receivingAgencyCode: '000.00.99.H99', directory: provincial });
    expect(error).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
    expect(error.message).toContain('serves 2 communes (99001, 99002)');
    expect(resolved(BIRTH, { receivingAgencyCode: '000.00.99.H99', directory: provincial, localityCode: AN_PHU }).procedure.competentAgencyCode).toBe(JUSTICE_B);
  });
});

describe('the directory on the acceptance day', () => {
  it('refuses when no unit plays a role for the commune that day, naming the role, the commune and what to add', () => {
    const ended = directoryWith((directory) => ({
      ...directory,
      entries: directory.entries.map((entry) => (entry.agencyCode === TAX_OFFICE ? { ...entry, validUntil: '2026-02-28' } : entry)),
    }));
    expect(resolved(LAND_PROCEDURE, { directory: ended, day: '2026-02-28' }).procedure.route.stages[2]!.steps[0]!.agencyCode).toBe(TAX_OFFICE);
    const error = refused(LAND_PROCEDURE, { directory: ended, day: '2026-03-02' });
    expect(error.code).toBe('JURISDICTION_UNRESOLVED');
    expect(error.message).toContain('No agency plays area-tax-office for 99001 (Xã Hòa Bình) on 2026-03-02 in agency directory H99-2025.1');
    expect(error.message).toContain(`${TAX_OFFICE} until 2026-02-28`);
    expect(error.message).toContain('add an entry with that role serving 99001');
    expect(error.rule).toMatch(/agency directory/);
  });

  it('hands a role over on the day a successor takes it, and a province-wide office serves every commune without its own', () => {
    const handedOver = directoryWith((directory) => ({
      ...directory,
      entries: [
        ...directory.entries.map((entry) => (entry.agencyCode === TAX_OFFICE ? { ...entry, validUntil: '2026-02-28', successorCode: '000.31.99.H99' } : entry)),
        { agencyCode: '000.31.99.H99', roles: ['area-tax-office'], serves: ['99'], validFrom: '2026-03-01', validUntil: null, successorCode: null },
      ],
    }));
    const result = resolved(LAND_PROCEDURE, { directory: handedOver, receivingAgencyCode: CENTRE_B });
    expect(stepAgencies(result.procedure)['tax-assessment']).toBe('000.31.99.H99');
    expect(result.record?.assignments.find((assignment) => assignment.target === 'tax-assessment')).toMatchObject({ servedUnitCode: '99' });
  });

  it('refuses a fixed agency the directory says has ceased, naming its successor', () => {
    const fixed = catalogueProcedureSchema.parse({ ...listed(BIRTH), competentRole: undefined, competentAgencyCode: JUSTICE, route: { stages: [{ steps: [{ id: 'civil-status', agencyCode: JUSTICE, task: 'Ghi sổ', budget: { unit: 'same-day' } }] }] } });
    const dissolved = directoryWith((directory) => ({
      ...directory,
      entries: directory.entries.map((entry) => (entry.agencyCode === JUSTICE ? { ...entry, validUntil: '2026-01-31', successorCode: JUSTICE_B } : entry)),
    }));
    const result = resolveProcedure({ procedure: fixed, directory: dissolved, receivingAgencyCode: CENTRE, day: DAY });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe(`Agency ${JUSTICE}, which the procedure names, ceased on 2026-01-31 in directory H99-2025.1; its successor is ${JUSTICE_B}. Publish a new procedure version naming ${JUSTICE_B} or a role.`);
  });

  it('refuses a procedure with roles, or a named locality, when no directory is loaded', () => {
    expect(refused(BIRTH, { directory: null })).toMatchObject({ code: 'JURISDICTION_UNRESOLVED', message: expect.stringContaining('no agency directory is loaded') });
    expect(refused('2.000720', { directory: null, localityCode: AN_PHU })).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
  });
});

describe('a province’s catalogue file', () => {
  it('refuses two holders of one role for one commune on overlapping days', () => {
    const twice = { ...DIRECTORY, entries: [...DIRECTORY.entries, { agencyCode: '000.21.99.H99', roles: ['land-registration-branch'], serves: [AN_PHU], validFrom: '2026-01-01' }] };
    const parsed = agencyDirectorySchema.safeParse(twice);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/both play land-registration-branch for 99002 on overlapping days/);
  });

  it('refuses a procedure naming a role no agency of the directory plays', () => {
    const file = { ...CATALOGUE, procedures: [{ ...listed(BIRTH), competentRole: 'commune-police' }] };
    const parsed = catalogueFileSchema.safeParse(file);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message)).toContain('role commune-police is played by no agency of the directory');
  });

  it('keeps a directory entry to agencies of the catalogue', () => {
    const file = { ...CATALOGUE, directory: { ...DIRECTORY, entries: [...DIRECTORY.entries, { agencyCode: '000.77.99.H99', roles: ['area-police'], serves: [AN_PHU], validFrom: '2025-07-01' }] } };
    expect(catalogueFileSchema.safeParse(file).error?.issues.map((issue) => issue.message)).toContain('no agency 000.77.99.H99 in this catalogue');
  });
});

describe('the resolution pinned at acceptance', () => {
  it('is recorded in DossierAccepted, and the route starts at the commune that resolves the dossier, not the one that received it', () => {
    const code = `${CENTRE}-260302-0001`;
    const receive: ReceiveDossier = {
      type: 'ReceiveDossier', commandId: 'receive', actor: actor('reception', CENTRE), dossierCode: code, agencyCode: CENTRE, procedureCode: BIRTH, channel: 'counter',
      applicant: { kind: 'citizen', fullName: 'Trần Thị Bình', identityNumber: '038190001234' }, receivedAt: '2026-03-02T01:30:00.000Z', locality: AN_PHU,
    };
    let state = newDossier(code);
    const received = decideDossier(state, receive, { now: receive.receivedAt });
    if (!received.ok) throw new Error(received.error.message);
    expect(received.events[0]).toMatchObject({ type: 'DossierReceived', data: { agencyCode: CENTRE, locality: AN_PHU } });
    state = received.events.reduce(evolveDossier, state);
    const pins = pinned(BIRTH, '2025.1', { receivingAgencyCode: CENTRE, localityCode: AN_PHU });
    const accepted = decideDossier(state, { type: 'AcceptDossier', commandId: 'accept', dossierCode: code, actor: actor('reception', CENTRE), components: completeComponents(BIRTH), pinned: pins }, { now: '2026-03-02T01:40:00.000Z' });
    if (!accepted.ok) throw new Error(accepted.error.message);
    expect(accepted.events[0]).toMatchObject({ type: 'DossierAccepted', data: { procedure: { competentAgencyCode: JUSTICE_B }, resolution: { directoryVersion: 'H99-2025.1', locality: { code: AN_PHU }, localityFrom: 'reception-request' } } });
    expect(accepted.events[1]).toMatchObject({ type: 'StepStarted', data: { stepId: 'civil-status', agencyCode: JUSTICE_B, fromAgencyCode: CENTRE } });
  });
});
