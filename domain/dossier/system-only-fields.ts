// The fields of the officers' commands that only an outside system's answer fills
// (./interagency-commands.ts defines them): their names, and which command takes which. Kept free
// of zod: the decider, which runs in the workflow's bundle, refuses them from anyone but a system,
// and the API omits them from staff's bodies (api/routes/dossier-commands.ts).

/** The names of the system-only fields, which the API strips from staff's bodies (and the decider refuses from anyone but a system). */
export const SYSTEM_ONLY_FIELDS = ['run', 'resultFile', 'registration', 'dueDate', 'noticeFile', 'receiptFile', 'paidAt', 'platformPayment'] as const;
export type SystemOnlyField = (typeof SYSTEM_ONLY_FIELDS)[number];

/** Which of them each officer's command takes (the decider checks these; the API omits them). */
export const SYSTEM_ONLY_FIELDS_OF = {
  CompleteStep: ['run', 'resultFile', 'registration'],
  SendStepBack: ['run'],
  RequestSupplement: ['run'],
  RequestFinancialObligation: ['run', 'dueDate', 'noticeFile'],
  RecordPayment: ['receiptFile', 'paidAt', 'platformPayment'],
} as const satisfies Record<string, readonly SystemOnlyField[]>;
export type CommandWithSystemFields = keyof typeof SYSTEM_ONLY_FIELDS_OF;

/** `{ field: true }` for each system-only field of a command: what the API's body omits. */
export function systemOnlyOmit<T extends CommandWithSystemFields>(type: T): { readonly [F in (typeof SYSTEM_ONLY_FIELDS_OF)[T][number]]: true } {
  return Object.fromEntries(SYSTEM_ONLY_FIELDS_OF[type].map((field) => [field, true])) as { readonly [F in (typeof SYSTEM_ONLY_FIELDS_OF)[T][number]]: true };
}

