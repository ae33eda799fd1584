/**
 * Only a process's entry module may end the process (src/control/end-process.ts): the Action's
 * entry evaluated inside another program (the test harness) must leave its host running.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessEntry } from '../../../src/control/end-process.js';

describe('isProcessEntry', () => {
  it('is true in the file node was started with', () => {
    const probe = join(import.meta.dirname, 'fixtures', 'print-is-entry.ts');
    const result = spawnSync(process.execPath, ['--import', 'tsx', probe], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true');
  });

  it('is false in a module imported by another program', () => {
    expect(isProcessEntry(import.meta.url)).toBe(false);
  });
});
