// The Ministry of Justice's electronic civil-status system as a loopback double
// (docs/integrations.md#the-systems-doubles), on the generic interagency double
// (doubles/interagency-double.ts). After a hand-off it records the registration, `answerDelayMs`
// later, and completes the step with its number and book: "<n>/<year>" in "Sổ đăng ký khai sinh
// <year>", numbers given in order within the year, never twice (a resent hand-off is a duplicate and
// gets none). An update is recorded and answers nothing; a cancel stops the registration.
import type { InteragencyDouble, InteragencyDoubleOptions, InteragencyScript } from './interagency-double.js';
import { startInteragencyDouble } from './interagency-double.js';
import { vietnamDate } from './tax-double.js';

export function civilStatusScript(): InteragencyScript {
  const lastNumber = new Map<string, number>();
  return {
    handOff(step, context) {
      context.later(step, context.answerDelayMs, () => {
        const year = vietnamDate(new Date()).slice(0, 4);
        const number = (lastNumber.get(year) ?? 0) + 1;
        lastNumber.set(year, number);
        step.notes.registration = `${number}/${year}`;
        context.answer(step, [{ kind: 'completed', note: 'Đã đăng ký khai sinh', registration: { number: `${number}/${year}`, book: `Sổ đăng ký khai sinh ${year}` } }]);
      });
    },
  };
}

export type CivilStatusDoubleOptions = Omit<InteragencyDoubleOptions, 'system' | 'script' | 'referencePrefix'>;

export function startCivilStatusDouble(options: CivilStatusDoubleOptions): Promise<InteragencyDouble> {
  return startInteragencyDouble({ ...options, system: 'civil-status', script: civilStatusScript(), referencePrefix: 'HT' });
}
