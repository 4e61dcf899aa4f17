// An outside system's name in the console's language: the domain's wording
// (domain/interagency/systems.ts, INTERAGENCY_SYSTEM_NAMES) kept in interagency.vi.ts and its twin.
// A name the console does not know yet (a system added to the API first) is shown as the API says it.
import type { Translate } from '../i18n/i18n';
import { type MessageKey, vi } from '../i18n/vi';

export function systemName(t: Translate, system: string): string {
  const key = `interagency.system.${system}`;
  return key in vi ? t(key as MessageKey) : system;
}
