// The other agencies' own systems that carry out steps of a route (liên thông, Decree 61/2018
// art. 19(6)): the land information system of the land registration office, the tax authority's
// system that issues financial-obligation notices and receipts, the Ministry of Justice's electronic
// civil-status system. A step of a procedure names the system that carries it out
// (domain/catalogue/procedure.ts); the engine hands the step over through the outbox and turns each
// answer into the event an officer's command would have made (docs/integrations.md#interagency).
// A deployment connecting another kind of system adds its name here and writes one adapter.

export const INTERAGENCY_SYSTEMS = ['land-registry', 'tax', 'civil-status'] as const;
export type InteragencySystem = (typeof INTERAGENCY_SYSTEMS)[number];

/** How staff and forms name each system, in Vietnamese. */
export const INTERAGENCY_SYSTEM_NAMES: Readonly<Record<InteragencySystem, string>> = {
  'land-registry': 'Hệ thống thông tin đất đai',
  tax: 'Hệ thống quản lý thuế',
  'civil-status': 'Hệ thống thông tin đăng ký và quản lý hộ tịch',
};

/** The user id recorded as the actor of what a system answered: `system:<name>`. */
export function interagencyUserId(system: InteragencySystem): string {
  return `system:${system}`;
}

/** The system an `interagency` actor speaks for, from its user id; undefined for any other id. */
export function systemOfUserId(userId: string): InteragencySystem | undefined {
  const name = userId.startsWith('system:') ? userId.slice('system:'.length) : undefined;
  return (INTERAGENCY_SYSTEMS as readonly string[]).includes(name ?? '') ? (name as InteragencySystem) : undefined;
}
