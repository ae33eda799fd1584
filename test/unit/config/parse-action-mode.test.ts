import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseActionMode } from '../../../src/config/parse-action-mode.js';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err: unknown) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseActionMode', () => {
  it('runs by default', () => {
    expect(parseActionMode({})).toEqual({ kind: 'run' });
    expect(parseActionMode({ mode: 'run' })).toEqual({ kind: 'run' });
  });

  it('merges the paths of shard-results, one per line or comma-separated', () => {
    expect(parseActionMode({ mode: 'merge', shardResults: 'shards/\n a.json, b.json\n' })).toEqual({
      kind: 'merge',
      shardResults: ['shards/', 'a.json', 'b.json'],
    });
  });

  it.each([
    [{ mode: 'merged' }, "input 'mode': got 'merged', expected run or merge"],
    [
      { mode: 'merge' },
      "input 'shard-results': got '', expected the shard jobs' result files or their directory with mode merge",
    ],
    [
      { mode: 'merge', shardResults: ' , ' },
      "input 'shard-results': got ' , ', expected the shard jobs' result files or their directory with mode merge",
    ],
    [
      { shardResults: 'shards/' },
      "input 'shard-results': got 'shards/', expected no shard-results with mode run; set mode: merge to merge shard results",
    ],
  ])('refuses %j', (raw, message) => {
    expect(messageOf(() => parseActionMode(raw))).toContain(message);
  });
});
