// The dossier screens' texts (English): the same keys as dossier.vi.ts.
import type { dossierVi } from './dossier.vi';

export const dossierEn = {
} as const satisfies Record<keyof typeof dossierVi, string>;
