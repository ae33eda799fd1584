import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One run (`npm test`) in three groups, one after the other (docs/architecture.md#tests):
//  1. in-process projects (unit, faults, bad-input, render), files in parallel;
//  2. `integration`: real Tritons, one per worker (global-setup.ts), files in parallel, each on
//     its worker's server alone (Triton 2.51 crashed when two files loaded models on one server
//     at once). They mostly wait (model loads, child processes, round trips), so more run at
//     once than there are cores;
//  3. `integration-alone`: one file at a time, for the files whose assertions are statistics of a
//     measurement (the paired gate's verdicts). On 2 cores, with files measuring beside it, a
//     400 µs-per-batch slowdown measured −22% and −3% in its two cells (the paired test failed);
//     alone, −46% to −59%.
// Vitest's default on this 2-core machine is a single worker (cores - 1): everything in a row.
const IN_PROCESS_WORKERS = 3;
const INTEGRATION_WORKERS = 3;
const MEASURED_ALONE = [
  'test/integration/paired.test.ts',
  'test/integration/e2e-paired.test.ts',
  'test/integration/e2e-quickstart.test.ts',
];

/**
 * Unit files that mock a module (`vi.mock`, allowed only in tests of main.ts and github/): the
 * unit project shares one module graph per worker (isolate: false, a fresh process per file cost
 * more than the tests), where a mock would leak into the files after it; these run isolated.
 */
const MOCKING_UNIT_FILES = readdirSync('test/unit', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.test.ts'))
  .map((file) => join('test/unit', file))
  .filter((file) => /\bvi\.mock\(/.test(readFileSync(file, 'utf8')));

const integration = {
  environment: 'node' as const,
  globalSetup: 'test/integration/global-setup.ts',
  testTimeout: 120_000,
  hookTimeout: 180_000,
};
// testTimeout: the heaviest unit tests (property tests, bootstraps) take 1-2 s alone and went
// past vitest's 5 s default beside the other in-process files on a loaded 2-core machine.
const inProcess = {
  environment: 'node',
  maxWorkers: IN_PROCESS_WORKERS,
  sequence: { groupOrder: 0 },
  testTimeout: 30_000,
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...inProcess,
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'],
          exclude: MOCKING_UNIT_FILES,
          isolate: false,
        },
      },
      ...(MOCKING_UNIT_FILES.length === 0
        ? []
        : [{ test: { ...inProcess, name: 'unit-mocks', include: MOCKING_UNIT_FILES } }]),
      {
        // In-process fakes on 127.0.0.1:0 (fake Triton, fake GitHub) for faults a real server cannot show.
        // Some start the CLI as a process (through tsx): seconds each when the machine is busy.
        test: { ...inProcess, name: 'faults', include: ['test/faults/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        // Bad inputs on every channel the run reads before it needs a server (docs/errors.md).
        test: { ...inProcess, name: 'bad-input', include: ['test/bad-input/**/*.test.ts'] },
      },
      {
        test: {
          // Every Mermaid chart we emit is parsed and rendered by the real mermaid in headless Chromium.
          ...inProcess,
          name: 'render',
          include: ['test/render/**/*.test.ts'],
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          ...integration,
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: MEASURED_ALONE,
          maxWorkers: INTEGRATION_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          ...integration,
          name: 'integration-alone',
          include: MEASURED_ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
