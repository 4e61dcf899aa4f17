// The cluster mode's round-robin front (dev/round-robin-front.ts): new connections take turns over
// the APIs, and one that refuses connections (a killed API) is skipped rather than failing callers.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../dev/free-port.js';
import { roundRobinFront } from '../../dev/round-robin-front.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A stand-in API answering its own name. */
async function backend(name: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_request, response) => response.end(name));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { port, close };
}

/** One request on a fresh connection (no keep-alive), answering the body. */
async function ask(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

const quiet = { warn: () => undefined };

describe('round-robin front', () => {
  it('hands each new connection to the next API in turn', async () => {
    const a = await backend('a');
    const b = await backend('b');
    closers.push(a.close, b.close);
    const port = await freePort();
    const front = await roundRobinFront(port, [a.port, b.port], quiet);
    closers.push(front.close);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await ask(port));
    expect(answers).toEqual(['a', 'b', 'a', 'b']);
  });

  it('skips an API that refuses connections, and uses it again once it is back', async () => {
    const a = await backend('a');
    const b = await backend('b');
    closers.push(a.close);
    const port = await freePort();
    const front = await roundRobinFront(port, [a.port, b.port], quiet);
    closers.push(front.close);
    await b.close();
    const whileDown = [];
    for (let i = 0; i < 4; i++) whileDown.push(await ask(port));
    expect(whileDown).toEqual(['a', 'a', 'a', 'a']);

    const server = http.createServer((_request, response) => response.end('b again'));
    await new Promise<void>((resolve) => server.listen(b.port, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const answers = new Set<string>();
    for (let i = 0; i < 4; i++) answers.add(await ask(port));
    expect(answers).toEqual(new Set(['a', 'b again']));
  });

  it('closes the caller\'s connection when no API answers', async () => {
    const a = await backend('a');
    await a.close();
    const port = await freePort();
    const front = await roundRobinFront(port, [a.port], quiet);
    closers.push(front.close);
    await expect(ask(port)).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});
