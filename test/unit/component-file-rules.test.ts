// A component's file rules in the catalogue (docs/catalogue.md#component-files): optional, with the
// defaults where absent, so the procedures pinned in older dossiers' events read as before.
import { describe, expect, it } from 'vitest';
import { componentSchema, procedureVersionSchema } from '../../domain/catalogue/procedure.js';
import { DEFAULT_FILE_RULES } from '../../domain/files/file-rules.js';
import { CATALOGUE, pinned } from '../support/dossier-fixtures.js';

describe("a component's file rules", () => {
  it('are absent from a component that does not state them, as in every procedure pinned before them', () => {
    const component = componentSchema.parse({ id: 'application', name: 'Đơn đề nghị', form: 'original' });
    expect(component.files).toBeUndefined();
    // A pinned procedure as an older DossierAccepted event holds it parses unchanged.
    const old = JSON.parse(JSON.stringify(pinned('2.000720').procedure));
    expect(procedureVersionSchema.parse(old).components).toEqual(old.components);
    expect(CATALOGUE.procedures.flatMap((procedure) => procedure.components).every((candidate) => candidate.files === undefined)).toBe(true);
  });

  it('take the defaults for what they leave out, and refuse what no file could meet', () => {
    const component = componentSchema.parse({ id: 'site-plan', name: 'Sơ đồ', form: 'photocopy', files: { accept: ['application/pdf'] } });
    expect(component.files).toEqual({ accept: ['application/pdf'], maxBytes: DEFAULT_FILE_RULES.maxBytes, maxPages: DEFAULT_FILE_RULES.maxPages });
    for (const files of [{ accept: [] }, { accept: ['text/html'] }, { maxBytes: 0 }, { maxBytes: 2 * 1024 ** 3 }, { maxPages: 0 }, { accept: ['image/png', 'image/png'] }]) {
      expect(componentSchema.safeParse({ id: 'x', name: 'X', form: 'original', files }).success, JSON.stringify(files)).toBe(false);
    }
  });
});
