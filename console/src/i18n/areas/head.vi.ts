// The head screens' texts (Vietnamese).
export const headVi = {
} as const;
