// The officer screens' texts (Vietnamese).
export const officerVi = {
} as const;
