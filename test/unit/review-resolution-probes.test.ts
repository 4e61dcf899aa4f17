// Review probes (issue 16): a named locality must not be silently resolved by another commune's body.
import { describe, expect, it } from 'vitest';
import { versionInForce } from '../../domain/catalogue/procedure.js';
import { resolveProcedure } from '../../domain/catalogue/resolve-roles.js';
import { CATALOGUE } from '../support/dossier-fixtures.js';

const DAY = '2026-03-02';
const business = versionInForce(CATALOGUE.procedures.filter((procedure) => procedure.code === '2.000720'), DAY)!;

describe('review: reception regardless of boundary with a fixed-code procedure', () => {
  it('refuses rather than send An Phú’s dossier to Hòa Bình’s economic office', () => {
    // 2.000720 names Hòa Bình's economic office (000.03.01.H99) by code; the directory says that office serves 99001 only.
    const named = resolveProcedure({ procedure: business, directory: CATALOGUE.directory!, receivingAgencyCode: '000.01.01.H99', localityCode: '99002', day: DAY });
    expect(named.ok ? { competent: named.procedure.competentAgencyCode, locality: named.record?.locality.code } : named.error.code).toBe('JURISDICTION_UNRESOLVED');
  });

  it('refuses a province as the dossier’s locality', () => {
    const province = resolveProcedure({ procedure: business, directory: CATALOGUE.directory!, receivingAgencyCode: '000.01.01.H99', localityCode: '99', day: DAY });
    expect(province.ok ? 'accepted' : province.error.code).toBe('UNKNOWN_LOCALITY');
  });
});
