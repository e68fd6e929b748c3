import { describe, expect, it } from 'vitest';
import { settingsFromEnv } from '../../src/server/config.ts';

describe('server settings from the environment', () => {
  it('WORKER_NICENESS: 10 by default, 0 to keep the workers level with the server, at most 19, refused when not a whole number of at least 0', () => {
    expect(settingsFromEnv({}).workerNiceness).toBe(10);
    expect(settingsFromEnv({ WORKER_NICENESS: '0' }).workerNiceness).toBe(0);
    expect(settingsFromEnv({ WORKER_NICENESS: '5' }).workerNiceness).toBe(5);
    // Linux's range of nice values ends at 19.
    expect(settingsFromEnv({ WORKER_NICENESS: '40' }).workerNiceness).toBe(19);
    expect(() => settingsFromEnv({ WORKER_NICENESS: '-1' })).toThrow('WORKER_NICENESS must be a whole number of at least 0 (got “-1”)');
    expect(() => settingsFromEnv({ WORKER_NICENESS: 'low' })).toThrow('WORKER_NICENESS must be a whole number');
  });
});
