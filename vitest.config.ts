import { defineConfig } from 'vitest/config';

// Three projects share one run (`npm test`): pure unit tests, fault tests against in-process
// fake servers, and integration tests against the real CPU Triton that global-setup starts once.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/golden/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        test: {
          // Every Mermaid chart we emit is parsed and rendered by the real mermaid in headless Chromium.
          name: 'render',
          include: ['test/render/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          // Invalid inputs on every channel; its own real Triton, because some cases add models
          // to the server's repository that the integration tests must not see.
          name: 'bad-input',
          include: ['test/bad-input/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One real server on 2 cores: files run one after another so timings stay meaningful.
          fileParallelism: false,
        },
      },
    ],
  },
});
