/**
 * Only a process's entry module may end the process (src/control/end-process.ts): the Action's
 * entry evaluated inside another program (the test harness) must leave its host running.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProcessEntry } from '../../../src/control/end-process.js';

describe('isProcessEntry', () => {
  it('is true for the file node was started with', () => {
    const entry = process.argv[1] ?? '';
    expect(isProcessEntry(pathToFileURL(realpathSync(entry)).href)).toBe(true);
  });

  it('is false for a module imported by another program, also with a query on its URL', () => {
    expect(isProcessEntry(import.meta.url)).toBe(false);
    expect(isProcessEntry(`${pathToFileURL(realpathSync(process.argv[1] ?? '')).href}?step=1`)).toBe(false);
  });
});
