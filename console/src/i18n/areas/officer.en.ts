// The officer screens' texts (English): the same keys as officer.vi.ts.
import type { officerVi } from './officer.vi';

export const officerEn = {
} as const satisfies Record<keyof typeof officerVi, string>;
