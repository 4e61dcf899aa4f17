// The auditor screens' texts (Vietnamese).
export const auditorVi = {
} as const;
