import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, readEnvironment } from '../../platform/environment.js';

describe('configuration from the environment', () => {
  it('has working defaults for the embedded stack', () => {
    const env = readEnvironment({});
    expect(env).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_TASK_QUEUE: 'motcua-dossiers' });
    expect(env.dataDir).toBe(path.resolve('.motcua'));
  });

  it('names each bad variable and what it should be', () => {
    const read = () => readEnvironment({ PORT: 'eighty', TEMPORAL_ADDRESS: 'localhost', DATABASE_URL: 'mysql://x' });
    expect(read).toThrow(ConfigurationError);
    expect(read).toThrow(/PORT/);
    expect(read).toThrow(/TEMPORAL_ADDRESS: must be host:port/);
    expect(read).toThrow(/DATABASE_URL: must be a postgres:\/\/ connection URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(readEnvironment({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
