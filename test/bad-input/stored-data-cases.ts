/**
 * Bad stored data given to `compare` / `report` (`--current`, `--baseline`) and `merge` (its
 * files: shards of two Triton versions, a shard missing, a whole run): result JSON of a
 * newer schemaVersion, truncated, of the wrong types, or missing. The user named these files,
 * so each is a usage error (exit 2) naming the flag, the path and why; the files are never
 * rewritten. (Bad files found *inside* a store are skipped with a warning instead: see
 * docs/reliability.md, "a corrupt file on the data branch".)
 *
 * Files in `{dir}`: valid.json (a sound run), future.json (schemaVersion 99), truncated.json
 * (valid.json cut in half), wrong-types.json (`cells[0].users` is "4"), not-a-run.json
 * (`{"hello": 1}`), incomplete-flag.json (`isComplete` is "yes"), shard-1.json and shard-2.json
 * (the two shards of one run), shard-2-triton.json (shard 2 on another Triton version).
 */
import type { BadInputCase } from './bad-input-case.js';

/** A stored-data case: the CLI arguments. */
export interface StoredDataCase extends BadInputCase {
  readonly argv: readonly string[];
}

const VALID = '{dir}/valid.json';

export const STORED_DATA_CASES: readonly StoredDataCase[] = [
  {
    name: 'current result of a future schemaVersion',
    input: 'current',
    value: '{dir}/future.json',
    exitCode: 2,
    argv: ['compare', '--current', '{dir}/future.json', '--baseline', VALID],
    excerpt: `input 'current': got '{dir}/future.json', expected a triton-throughput-gate result JSON; written by a newer triton-throughput-gate (schemaVersion 99 > 2); upgrade to compare against it`,
  },
  {
    name: 'truncated current result',
    input: 'current',
    value: '{dir}/truncated.json',
    exitCode: 2,
    argv: ['compare', '--current', '{dir}/truncated.json', '--baseline', VALID],
    excerpt: `input 'current': got '{dir}/truncated.json', expected a triton-throughput-gate result JSON; not valid JSON (`,
  },
  {
    name: 'current result with a wrong type',
    input: 'current',
    value: '{dir}/wrong-types.json',
    exitCode: 2,
    argv: ['compare', '--current', '{dir}/wrong-types.json', '--baseline', VALID],
    excerpt:
      "input 'current': got '{dir}/wrong-types.json', expected a triton-throughput-gate result JSON; not a valid triton-throughput-gate result: `cells[0].users` is not an integer >= 1",
  },
  {
    name: 'current file that is not a result',
    input: 'current',
    value: '{dir}/not-a-run.json',
    exitCode: 2,
    argv: ['report', '--current', '{dir}/not-a-run.json'],
    excerpt:
      "input 'current': got '{dir}/not-a-run.json', expected a triton-throughput-gate result JSON; not a triton-throughput-gate result: no integer `schemaVersion`",
  },
  {
    name: 'boolean stored as text',
    input: 'current',
    value: '{dir}/incomplete-flag.json',
    exitCode: 2,
    argv: ['report', '--current', '{dir}/incomplete-flag.json'],
    excerpt:
      "input 'current': got '{dir}/incomplete-flag.json', expected a triton-throughput-gate result JSON; not a valid triton-throughput-gate result: `isComplete` is not a boolean",
  },
  {
    name: 'missing current file',
    input: 'current',
    value: '{dir}/gone.json',
    exitCode: 2,
    argv: ['compare', '--current', '{dir}/gone.json', '--baseline', VALID],
    excerpt: `input 'current': got '{dir}/gone.json', expected a readable result JSON file; ENOENT: no such file or directory`,
  },
  {
    name: 'compare without --current',
    input: '--current',
    value: '(not given)',
    exitCode: 2,
    argv: ['compare', '--baseline', VALID],
    excerpt: 'UsageError: --current <file> is required: the result JSON to judge',
    note: 'nothing to quote: the flag is missing',
  },
  {
    name: 'baseline of a future schemaVersion',
    input: 'baseline',
    value: '{dir}/future.json',
    exitCode: 2,
    argv: ['compare', '--current', VALID, '--baseline', '{dir}/future.json'],
    excerpt: `input 'baseline': got '{dir}/future.json', expected a result JSON file or a baseline directory; --baseline {dir}/future.json cannot be used: written by a newer triton-throughput-gate (schemaVersion 99 > 2)`,
  },
  {
    name: 'truncated baseline',
    input: 'baseline',
    value: '{dir}/truncated.json',
    exitCode: 2,
    argv: ['compare', '--current', VALID, '--baseline', '{dir}/truncated.json'],
    excerpt: `input 'baseline': got '{dir}/truncated.json', expected a result JSON file or a baseline directory; --baseline {dir}/truncated.json cannot be used: not valid JSON (`,
  },
  {
    name: 'baseline with a wrong type',
    input: 'baseline',
    value: '{dir}/wrong-types.json',
    exitCode: 2,
    argv: ['report', '--current', VALID, '--baseline', '{dir}/wrong-types.json'],
    excerpt:
      "input 'baseline': got '{dir}/wrong-types.json', expected a result JSON file or a baseline directory; --baseline {dir}/wrong-types.json cannot be used: not a valid triton-throughput-gate result: `cells[0].users` is not an integer >= 1",
  },
  {
    name: 'missing baseline path',
    input: 'baseline',
    value: '{dir}/nowhere',
    exitCode: 2,
    argv: ['compare', '--current', VALID, '--baseline', '{dir}/nowhere'],
    excerpt: `input 'baseline': got '{dir}/nowhere', expected a result JSON file or a baseline directory; --baseline {dir}/nowhere does not exist`,
  },
  {
    name: 'merging shards of two Triton versions',
    input: 'merge',
    value: '{dir}/shard-2-triton.json',
    exitCode: 2,
    argv: ['merge', '{dir}/shard-1.json', '{dir}/shard-2-triton.json'],
    excerpt: `input 'merge': got '{dir}/shard-2-triton.json', expected the result files of every shard of one run; its environment.tritonVersion is "2.52.0", {dir}/shard-1.json has "2.51.0": not the same run`,
  },
  {
    name: 'merging with a shard missing',
    input: 'merge',
    value: '{dir}/shard-1.json',
    exitCode: 2,
    argv: ['merge', '{dir}/shard-1.json'],
    excerpt: `input 'merge': got '{dir}/shard-1.json', expected the result files of every shard of one run; shard 2/2 missing: every shard's result is needed`,
  },
  {
    name: 'merging a whole run',
    input: 'merge',
    value: '{dir}/valid.json',
    exitCode: 2,
    argv: ['merge', '{dir}/shard-1.json', VALID],
    excerpt:
      "input 'merge': got '{dir}/valid.json', expected the result files of every shard of one run; it holds a whole run, not a shard (no `shard` field: run the jobs with shard i/n, n >= 2)",
  },
  {
    name: 'merging a truncated shard file',
    input: 'merge',
    value: '{dir}/truncated.json',
    exitCode: 2,
    argv: ['merge', '{dir}/shard-1.json', '{dir}/truncated.json'],
    excerpt: `input 'merge': got '{dir}/truncated.json', expected a triton-throughput-gate result JSON; not valid JSON (`,
  },
  {
    name: 'merge without files',
    input: '--in',
    value: '(not given)',
    exitCode: 2,
    argv: ['merge'],
    excerpt: "UsageError: merge needs the shard jobs' result files: merge <file...> or merge --in <dir>",
    note: 'nothing to quote: no file is given',
  },
];
