// The reception screens' texts (Vietnamese).
export const receptionVi = {
} as const;
