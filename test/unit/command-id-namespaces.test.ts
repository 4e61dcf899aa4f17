// A keyed request's command id is `<token sub>/<Idempotency-Key>` (api/idempotency.ts): no token may
// carry a subject that would let it produce a command id of the engine's own systems (an answer of
// an interagency system, a recorded hand-off), which the dossier's workflow would then take for a
// repeat and answer with the person's outcome (api/auth/token-verifier.ts SYSTEM_COMMAND_NAMESPACES).
import { describe, expect, it } from 'vitest';
import { handOffCommandId } from '../../activities/hand-offs.js';
import { SYSTEM_COMMAND_NAMESPACES, tokenClaimsSchema } from '../../api/auth/token-verifier.js';
import { commandIdFor } from '../../api/idempotency.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../../api/request-schemas.js';
import { answerCommandId } from '../../domain/interagency/answer-command.js';

const staff = (sub: string) => ({ sub, name: 'Nguyễn Văn A', role: 'reception', agency: '000.00.31.H38' });
const portal = (sub: string) => ({ sub, name: 'Cổng DVCQG', role: 'portal', portal: 'dvcqg', units: ['000.00.31.H38'], procedures: ['*'] });
const ministry = (sub: string) => ({ sub, name: 'BCA', role: 'ministry-system', system: 'bca-dichvucong', units: ['000.00.31.H38'], procedures: ['*'] });

const systemIds = [
  answerCommandId('tax', 'A1'),
  answerCommandId('land-registry', 'ldr-2026:000124'),
  handOffCommandId('land-registry/000.00.31.H38-261201-0005/3/hand-off'),
];

describe('command ids of the engine’s systems', () => {
  it('cannot be produced by any token the engine accepts and any Idempotency-Key', () => {
    for (const id of systemIds) {
      // Every way of reading the id as `<sub>/<key>` with a well-formed key.
      for (let slash = id.indexOf('/'); slash !== -1; slash = id.indexOf('/', slash + 1)) {
        const sub = id.slice(0, slash);
        const key = id.slice(slash + 1);
        if (!IDEMPOTENCY_KEY_PATTERN.test(key)) continue;
        expect(commandIdFor({ idempotency: { caller: sub, key } }, () => 'unused')).toBe(id);
        for (const claims of [staff(sub), portal(sub), ministry(sub)]) {
          expect(tokenClaimsSchema.safeParse(claims).success, `${claims.role} token with sub ${sub}`).toBe(false);
        }
      }
    }
  });

  it('names the rule when it refuses a subject', () => {
    const parsed = tokenClaimsSchema.safeParse(staff('handoff'));
    expect(JSON.stringify(parsed.error?.issues)).toContain('engine');
    expect(SYSTEM_COMMAND_NAMESPACES).toContain('interagency');
  });

  it('leaves every other subject, and so every existing staff command id, as it was', () => {
    for (const sub of ['reception@000.00.31.H38', 'interagency-officer', 'handoffs', 'nguyen.van.a', 'system:tax-officer']) {
      expect(tokenClaimsSchema.safeParse(staff(sub)).success, sub).toBe(true);
    }
    expect(commandIdFor({ idempotency: { caller: 'reception@000.00.31.H38', key: 'k-1' } }, () => 'unused')).toBe('reception@000.00.31.H38/k-1');
  });
});
