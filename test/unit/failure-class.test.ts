// Which database failures a retry can cure: the append activity retries those, and fails the
// command at once on the others instead of retrying for ever.
import { describe, expect, it } from 'vitest';
import { classifyFailure, isRetryable } from '../../db/failure-class.js';

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('classifying a failed database call', () => {
  it.each([
    ['a serialization failure', '40001'],
    ['a deadlock', '40P01'],
    ['a server shutting down', '57P01'],
    ['too many connections', '53300'],
  ])('retries %s', (_case, code) => {
    expect(isRetryable(pgError(code))).toBe(true);
  });

  it('retries a lost connection and anything it does not know', () => {
    expect(isRetryable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toBe(true);
    expect(isRetryable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isRetryable(undefined)).toBe(true);
  });

  it('never retries a value PostgreSQL cannot hold, and blames the input', () => {
    expect(classifyFailure(pgError('22P05', 'unsupported Unicode escape sequence'))).toEqual({ retryable: false, sqlState: '22P05', inputAtFault: true });
    expect(classifyFailure(pgError('22021'))).toEqual({ retryable: false, sqlState: '22021', inputAtFault: true });
  });

  it('never retries a constraint that refuses the row, and blames the engine', () => {
    expect(classifyFailure(pgError('23514'))).toEqual({ retryable: false, sqlState: '23514', inputAtFault: false });
    expect(classifyFailure(pgError('23505'))).toEqual({ retryable: false, sqlState: '23505', inputAtFault: false });
  });
});
