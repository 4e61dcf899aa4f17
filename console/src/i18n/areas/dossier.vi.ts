// The dossier screens' texts (Vietnamese).
export const dossierVi = {
} as const;
