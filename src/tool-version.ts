/**
 * The version of triton-throughput-gate itself, recorded in every run's fingerprint
 * (docs/baseline-store.md#fingerprint). Imported from package.json, so the bundles in dist/ carry
 * it as a constant (the bundler inlines the one field read) and nothing is read at run time.
 */
import packageJson from '../package.json' with { type: 'json' };

/** `0.1.0`: package.json's `version`. */
export const TOOL_VERSION: string = packageJson.version;
