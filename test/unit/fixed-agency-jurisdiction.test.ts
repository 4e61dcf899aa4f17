// A procedure may still name its agencies by code. When the province's directory knows such an
// agency, it also says which units the agency serves: a dossier for another locality is refused,
// never sent there (docs/catalogue.md#resolution). Agencies the directory does not know are taken
// as the procedure names them, as before directories.
import { describe, expect, it } from 'vitest';
import { type AgencyDirectory, agencyDirectorySchema } from '../../domain/catalogue/directory.js';
import { type CatalogueProcedure, catalogueProcedureSchema, procedureVersionSchema, versionInForce } from '../../domain/catalogue/procedure.js';
import { namedLocalityProblem, resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import { AN_PHU, CATALOGUE, CENTRE, CENTRE_B, ECONOMY, HOA_BINH } from '../support/dossier-fixtures.js';

const DIRECTORY = CATALOGUE.directory!;
const DAY = '2026-03-02';
/** A centre and an office of a test's own, which the sample directory does not know. */
const OWN_CENTRE = '000.01.77.H99';
const OWN_OFFICE = '000.03.77.H99';

const listed = (code: string, day = DAY): CatalogueProcedure => versionInForce(CATALOGUE.procedures.filter((procedure) => procedure.code === code), day)!;
const BUSINESS = listed('2.000720');

function fixedTo(agencyCode: string): CatalogueProcedure {
  return catalogueProcedureSchema.parse({ ...BUSINESS, version: 'test', competentAgencyCode: agencyCode, route: { stages: [{ steps: [{ id: 'review', agencyCode, task: 'Thẩm định', budget: { unit: 'working-days', amount: 3 } }] }] } });
}

function resolve(procedure: CatalogueProcedure, where: { receivingAgencyCode?: string; localityCode?: string; day?: string; directory?: AgencyDirectory } = {}) {
  return resolveProcedure({ procedure, directory: where.directory ?? DIRECTORY, receivingAgencyCode: where.receivingAgencyCode ?? CENTRE, localityCode: where.localityCode, day: where.day ?? DAY });
}

function refusal(...args: Parameters<typeof resolve>) {
  const result = resolve(...args);
  if (result.ok) throw new Error(`resolved to ${result.procedure.competentAgencyCode}, but a refusal was expected`);
  return result.error;
}

const directoryWith = (change: (directory: AgencyDirectory) => AgencyDirectory) => agencyDirectorySchema.parse(change(structuredClone(DIRECTORY)));

describe('a fixed agency the directory knows serves the dossier’s locality, or the dossier is refused', () => {
  it('refuses a dossier named for An Phú, naming the agency, the locality, the day and what to fix', () => {
    const error = refusal(BUSINESS, { localityCode: AN_PHU });
    expect(error).toMatchObject({ code: 'JURISDICTION_UNRESOLVED', field: 'locality', rule: expect.stringContaining('agency directory') });
    expect(error.message).toBe(
      `Agency ${ECONOMY}, which procedure 2.000720 version 2025.1 names, does not serve 99002 (Xã An Phú), the locality named at reception, on ${DAY} in agency directory H99-2025.1; it serves 99001. ` +
        "Publish a procedure version that names a role instead (each locality's own body then resolves it), or, if the agency does serve 99002, add it to the agency's entry in a new directory version (npm run catalogue:load); until then the procedure cannot be received for 99002.",
    );
  });

  it('refuses a dossier received at An Phú’s centre without a locality: the centre’s own commune is the dossier’s', () => {
    const error = refusal(BUSINESS, { receivingAgencyCode: CENTRE_B });
    expect(error.code).toBe('JURISDICTION_UNRESOLVED');
    expect(error.field).toBeUndefined();
    expect(error.message).toContain(`does not serve 99002 (Xã An Phú), the commune of receiving centre ${CENTRE_B}, on ${DAY}`);
  });

  it('sends to the agency a dossier for a commune it serves, named, merged into it, or the receiving centre’s own', () => {
    expect(resolve(BUSINESS, { receivingAgencyCode: CENTRE_B, localityCode: HOA_BINH })).toMatchObject({ ok: true, procedure: { competentAgencyCode: ECONOMY }, record: { locality: { code: HOA_BINH }, assignments: [] } });
    expect(resolve(BUSINESS, { localityCode: '99101' })).toMatchObject({ ok: true, record: { locality: { code: HOA_BINH }, namedLocalityCode: '99101' } });
    expect(resolve(BUSINESS)).toEqual({ ok: true, procedure: procedureVersionSchema.parse(BUSINESS) });
  });

  it('reads the agency’s area on the day: a commune handed to another office is refused from the day after', () => {
    // Hòa Bình's economic office also served An Phú until 28 February 2026; An Phú's own office takes over on 1 March.
    const handedOver = directoryWith((directory) => ({
      ...directory,
      entries: directory.entries.flatMap((entry) =>
        entry.agencyCode === ECONOMY
          ? [{ ...entry, serves: [HOA_BINH, AN_PHU], validUntil: '2026-02-28' }, { ...entry, validFrom: '2026-03-01' }]
          : entry.agencyCode === '000.03.02.H99'
            ? [{ ...entry, validFrom: '2026-03-01' }]
            : [entry],
      ),
    }));
    expect(resolve(BUSINESS, { directory: handedOver, localityCode: AN_PHU, day: '2026-02-28' })).toMatchObject({ ok: true, procedure: { competentAgencyCode: ECONOMY } });
    expect(refusal(BUSINESS, { directory: handedOver, localityCode: AN_PHU, day: '2026-03-01' }).message).toContain('does not serve 99002 (Xã An Phú), the locality named at reception, on 2026-03-01');
  });

  it('takes a fixed agency that serves the whole province for any commune, even where no locality is known', () => {
    const provincial = directoryWith((directory) => ({ ...directory, entries: directory.entries.map((entry) => (entry.agencyCode === ECONOMY ? { ...entry, serves: ['99'] } : entry)) }));
    expect(resolve(BUSINESS, { directory: provincial, localityCode: AN_PHU })).toMatchObject({ ok: true, procedure: { competentAgencyCode: ECONOMY } });
    expect(resolve(BUSINESS, { directory: provincial, receivingAgencyCode: OWN_CENTRE })).toEqual({ ok: true, procedure: procedureVersionSchema.parse(BUSINESS) });
  });

  it('asks a centre with no commune of its own to name the locality when the fixed agency serves only part of the province', () => {
    const error = refusal(BUSINESS, { receivingAgencyCode: OWN_CENTRE });
    expect(error).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
    expect(error.message).toContain('name it in the reception request (locality)');
    expect(error.message).toContain(`Agency ${ECONOMY}, which procedure 2.000720 version 2025.1 names, serves only 99001 that day.`);
    expect(resolve(BUSINESS, { receivingAgencyCode: OWN_CENTRE, localityCode: HOA_BINH })).toMatchObject({ ok: true, procedure: { competentAgencyCode: ECONOMY } });
  });
});

describe('agencies the directory does not know', () => {
  const own = fixedTo(OWN_OFFICE);

  it('are taken as the procedure names them, with or without a locality, at any centre', () => {
    for (const receivingAgencyCode of [CENTRE, CENTRE_B, OWN_CENTRE]) {
      expect(resolve(own, { receivingAgencyCode })).toEqual({ ok: true, procedure: procedureVersionSchema.parse(own) });
      expect(resolve(own, { receivingAgencyCode, localityCode: AN_PHU })).toMatchObject({ ok: true, procedure: { competentAgencyCode: OWN_OFFICE }, record: { locality: { code: AN_PHU } } });
    }
  });

  it('still have the named locality checked: a unit of the directory, and not a province', () => {
    expect(refusal(own, { localityCode: '99999' })).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
    expect(refusal(own, { localityCode: '99' })).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
  });
});

describe('a named locality is a commune, ward or special zone', () => {
  it('refuses the province, for a procedure with roles as for one with fixed codes, saying what to name', () => {
    for (const procedure of [listed('1.001193'), BUSINESS]) {
      const error = refusal(procedure, { localityCode: '99' });
      expect(error).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality' });
      expect(error.message).toBe("Administrative unit 99 (Tỉnh Mẫu (dữ liệu mẫu)) is a province in agency directory H99-2025.1; name the commune, ward or special zone whose bodies resolve the dossier, or leave locality out for the receiving centre's own.");
    }
  });

  it('is checked alone at reception, when no version of the procedure is in force to resolve', () => {
    expect(namedLocalityProblem(DIRECTORY, AN_PHU, DAY)).toBeUndefined();
    expect(namedLocalityProblem(DIRECTORY, '99101', DAY)).toBeUndefined();
    expect(namedLocalityProblem(DIRECTORY, '99', DAY)).toMatchObject({ code: 'UNKNOWN_LOCALITY', field: 'locality', message: expect.stringContaining('is a province') });
    expect(namedLocalityProblem(DIRECTORY, '99999', DAY)).toMatchObject({ code: 'UNKNOWN_LOCALITY', message: expect.stringContaining('No administrative unit 99999') });
    expect(namedLocalityProblem(DIRECTORY, HOA_BINH, '2025-06-30')).toMatchObject({ code: 'UNKNOWN_LOCALITY', message: expect.stringContaining('exists only from 2025-07-01') });
    expect(namedLocalityProblem(null, AN_PHU, DAY)).toMatchObject({ code: 'UNKNOWN_LOCALITY', message: expect.stringContaining('No agency directory is loaded') });
  });
});

describe('the sample catalogue at both communes’ centres', () => {
  const codes = [...new Set(CATALOGUE.procedures.map((procedure) => procedure.code))];
  const centres = { [HOA_BINH]: CENTRE, [AN_PHU]: CENTRE_B };

  /** What each sample procedure in force on `day` does for each commune, received at either centre with the locality named or left to the centre. */
  function outcomes(day: string) {
    return codes.flatMap((code) =>
      Object.entries(centres).flatMap(([commune, ownCentre]) =>
        [
          { receivingAgencyCode: ownCentre },
          ...Object.values(centres).map((receivingAgencyCode) => ({ receivingAgencyCode, localityCode: commune })),
        ].map((where) => {
          const result = resolve(listed(code, day), { ...where, day });
          return { code, commune, ...where, outcome: result.ok ? result.procedure.competentAgencyCode : `${result.error.code}: ${result.error.message.slice(0, result.error.message.indexOf(','))}` };
        }),
      ),
    );
  }

  it('receives every procedure in force in 2026 for both communes, except household business registration for An Phú, refused by name', () => {
    const refused = outcomes(DAY).filter((outcome) => outcome.outcome.startsWith('JURISDICTION') || outcome.outcome.startsWith('UNKNOWN'));
    expect(refused.map(({ code, commune, outcome }) => ({ code, commune, outcome }))).toEqual(
      Array(3).fill({ code: '2.000720', commune: AN_PHU, outcome: `JURISDICTION_UNRESOLVED: Agency ${ECONOMY}` }),
    );
    expect(new Set(outcomes(DAY).filter((outcome) => outcome.code === '2.000720' && outcome.commune === HOA_BINH).map((outcome) => outcome.outcome))).toEqual(new Set([ECONOMY]));
  });

  it('received only Hòa Bình’s dossiers in 2025, when every version named Hòa Bình’s bodies by code', () => {
    for (const outcome of outcomes('2025-09-01')) {
      if (outcome.commune === HOA_BINH) expect(outcome.outcome, JSON.stringify(outcome)).toMatch(/^000\./);
      else expect(outcome.outcome, JSON.stringify(outcome)).toMatch(/^JURISDICTION_UNRESOLVED: Agency 000\.0\d\.01\.H99$/);
    }
  });
});
