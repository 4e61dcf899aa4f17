// The auditor screens' texts (English): the same keys as auditor.vi.ts.
import type { auditorVi } from './auditor.vi';

export const auditorEn = {
} as const satisfies Record<keyof typeof auditorVi, string>;
