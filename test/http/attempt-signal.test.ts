import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { callSignal, withAttemptSignal } from '../../integrations/outbox/attempt-signal.js';

// An adapter's calls end with their attempt: nothing of an abandoned attempt is still going out.
describe('a call within an attempt', () => {
  it('is aborted when its attempt ends, and otherwise only by its own timeout', async () => {
    expect(callSignal(60_000).aborted).toBe(false);
    const attempt = new AbortController();
    const seen = await withAttemptSignal(attempt.signal, async () => {
      const signal = callSignal(60_000);
      expect(signal.aborted).toBe(false);
      attempt.abort();
      // A call started after the attempt ended is aborted from the start.
      return { before: signal.aborted, after: callSignal(60_000).aborted };
    });
    expect(seen).toEqual({ before: true, after: true });
    expect(callSignal(60_000).aborted).toBe(false);
  });

  it('aborts a request under way to a receiver that does not answer', async () => {
    const held: ServerResponse[] = [];
    const server = createServer((_request, response) => void held.push(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const attempt = new AbortController();
      const pending = withAttemptSignal(attempt.signal, () => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}', signal: callSignal(60_000) }).then(() => 'answered', (error: Error) => error.name));
      await new Promise((resolve) => setTimeout(resolve, 100));
      attempt.abort();
      expect(await pending).toBe('AbortError');
    } finally {
      for (const response of held) response.destroy();
      server.close();
    }
  });
});
