// The reception screens' texts (English): the same keys as reception.vi.ts.
import type { receptionVi } from './reception.vi';

export const receptionEn = {
} as const satisfies Record<keyof typeof receptionVi, string>;
