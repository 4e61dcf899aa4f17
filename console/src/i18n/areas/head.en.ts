// The head screens' texts (English): the same keys as head.vi.ts.
import type { headVi } from './head.vi';

export const headEn = {
} as const satisfies Record<keyof typeof headVi, string>;
