/**
 * The CLI's input reader: `argv` to a command, raw inputs (`--<input-name> <value>` for every
 * `Input`) and the few CLI-only flags. Strict: an unknown or repeated flag is a `UsageError`
 * naming it, with the nearest known flag, instead of an input silently keeping its default.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CLI_FLAG_DOCS, CliFlag, type CliFlagName, INPUT_DOCS, defaultText } from './input-docs.js';
import { INPUT_NAMES, Input, type RawInputs } from './inputs.js';
import { closestMatch } from './suggest.js';
import { UsageError } from './usage-error.js';

/** CLI commands and what they do, in help order. */
export const CLI_COMMANDS = {
  run: 'measure the matrix on a live Triton, compare with the baseline and gate',
  compare: 'compare a result file (--current) with a baseline (--baseline); no server needed',
  report: 'print the markdown report of a result file (--current), against --baseline if given',
  merge:
    "merge shard jobs' result files (merge <file...> or --in <dir>) into one run, compare and report it; no server needed",
  help: 'show this help',
} as const;

/** A CLI command; `help` is also what a bare `--help` means. */
export type CliCommand = keyof typeof CLI_COMMANDS;

/** The CLI-only flags, after `--baseline-dir` and `--save` were mapped into raw inputs. */
export interface CliOnlyFlags {
  /** `--quiet`: print only the verdict and errors. */
  readonly isQuiet: boolean;
  /** `--help`: print `cliHelpText()` and stop. */
  readonly isHelp: boolean;
  /** `--baseline` (compare): a result file or a file-store directory. */
  readonly baseline: string | undefined;
  /** `--current` (compare): the result file to judge. */
  readonly current: string | undefined;
  /** `--in` (merge): a directory of shard result files. */
  readonly in: string | undefined;
}

/** What `readCliFlags` found on the command line. */
export interface CliArguments {
  readonly command: CliCommand;
  /** Input flags as given (empty values left out), plus what CLI shortcuts mean. */
  readonly raw: RawInputs;
  readonly flags: CliOnlyFlags;
  /** Positional arguments after the command. */
  readonly positionals: readonly string[];
}

const BINARY_NAME = 'triton-throughput-gate';
const COMPARE_ONLY_FLAGS: readonly CliFlagName[] = [CliFlag.baseline, CliFlag.current];

type Options = NonNullable<ParseArgsConfig['options']>;

function buildOptions(): Options {
  const options: Options = {};
  for (const name of INPUT_NAMES) options[name] = { type: 'string' };
  for (const [name, doc] of Object.entries(CLI_FLAG_DOCS)) {
    options[name] = doc.valueName === undefined ? { type: 'boolean' } : { type: 'string' };
  }
  options[CliFlag.quiet] = { type: 'boolean', short: 'q' };
  options[CliFlag.help] = { type: 'boolean', short: 'h' };
  return options;
}

/**
 * Reads the CLI arguments (`process.argv.slice(2)`).
 *
 * @throws UsageError for an unknown, repeated or malformed flag, an unknown or missing
 *   command, conflicting shortcuts, or a compare-only flag on another command.
 */
export function readCliFlags(argv: readonly string[]): CliArguments {
  const options = buildOptions();
  rejectUnknownAndRepeated(argv, options);
  const { values, positionals } = parseStrictly(argv, options);
  const flagText = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  rejectEmptyValues(values);
  const isHelp = values[CliFlag.help] === true;
  const command = readCommand(positionals[0], isHelp);
  for (const flag of COMPARE_ONLY_FLAGS) {
    if (flagText(flag) !== undefined && command !== 'compare' && command !== 'report') {
      throw new UsageError(`--${flag} is only used by 'compare' and 'report'`, { flag: `--${flag}` });
    }
  }
  if (flagText(CliFlag.in) !== undefined && command !== 'merge') {
    throw new UsageError(`--${CliFlag.in} is only used by 'merge'`, { flag: `--${CliFlag.in}` });
  }
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) {
    const value = flagText(name);
    if (value !== undefined && value !== '') raw[name] = value;
  }
  const baselineDir = flagText(CliFlag.baselineDir);
  if (baselineDir !== undefined) {
    applyShortcut(raw, CliFlag.baselineDir, { [Input.baselineStore]: 'file', [Input.baselinePath]: baselineDir });
  }
  if (values[CliFlag.save] === true) applyShortcut(raw, CliFlag.save, { [Input.saveBaseline]: 'always' });
  const flags: CliOnlyFlags = {
    isQuiet: values[CliFlag.quiet] === true,
    isHelp,
    baseline: flagText(CliFlag.baseline),
    current: flagText(CliFlag.current),
    in: flagText(CliFlag.in),
  };
  return { command, raw, flags, positionals: positionals.slice(1) };
}

/**
 * `--server-url ''` is a mistake (an unset shell variable), not a request for the default: an
 * Action input left empty means "default", a flag someone typed does not.
 */
function rejectEmptyValues(values: Readonly<Record<string, unknown>>): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') {
      throw new UsageError(
        `flag '--${name}' is given an empty value; give a value, or leave the flag out for the default`,
        { flag: `--${name}` },
      );
    }
  }
}

/** First pass, lenient, over tokens: name the unknown flag ourselves to suggest a known one. */
function rejectUnknownAndRepeated(argv: readonly string[], options: Options): void {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(options, token.name)) {
      const nearest = closestMatch(token.rawName.replace(/^-+/, ''), Object.keys(options));
      const suggestion = nearest === undefined ? '' : `; did you mean '--${nearest}'?`;
      throw new UsageError(`unknown flag '${token.rawName}'${suggestion} (see --help)`, { flag: token.rawName });
    }
    if (seen.has(token.name)) {
      throw new UsageError(`flag '--${token.name}' is given more than once`, { flag: `--${token.name}` });
    }
    seen.add(token.name);
  }
}

type ParsedArgs = ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true }>>;

/** Second pass, strict: node's own checks (missing values, values on switches) as usage errors. */
function parseStrictly(argv: readonly string[], options: Options): ParsedArgs {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error: unknown) {
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      // Node names the flag in its message (`Option '--users <value>' argument missing`).
      throw new UsageError(error.message, { flag: /--[a-z0-9-]+/.exec(error.message)?.[0], cause: error });
    }
    throw error;
  }
}

function readCommand(word: string | undefined, isHelp: boolean): CliCommand {
  const commands = Object.keys(CLI_COMMANDS);
  if (word === undefined) {
    if (isHelp) return 'help';
    throw new UsageError(`missing command; expected one of ${commands.join(', ')}`);
  }
  if (Object.hasOwn(CLI_COMMANDS, word)) return word as CliCommand;
  const nearest = closestMatch(word, commands);
  const suggestion = nearest === undefined ? '' : `; did you mean '${nearest}'?`;
  const message = `unknown command '${word}'${suggestion} (expected one of ${commands.join(', ')})`;
  throw new UsageError(message, { flag: word });
}

/** Sets what a shortcut flag means, refusing an explicit input that says otherwise. */
function applyShortcut(raw: RawInputs, shortcut: CliFlagName, meaning: RawInputs): void {
  const flag = `--${shortcut}`;
  for (const [name, value] of Object.entries(meaning) as [keyof RawInputs, string][]) {
    const explicit = raw[name];
    if (explicit !== undefined && explicit !== value) {
      throw new UsageError(`${flag} conflicts with --${name} '${explicit}'`, { flag });
    }
    raw[name] = value;
  }
}

/** The `--help` text: commands, then every flag with its value, description and default. */
export function cliHelpText(): string {
  const commandRows = Object.entries(CLI_COMMANDS);
  const inputRows = INPUT_NAMES.map((name) => {
    const doc = INPUT_DOCS[name];
    return [`--${name} <${doc.valueName}>`, `${doc.description} (default: ${defaultText(doc)})`] as const;
  });
  const cliRows = Object.entries(CLI_FLAG_DOCS).map(([name, doc]) => {
    const short = name === CliFlag.quiet || name === CliFlag.help ? `, -${name[0] ?? ''}` : '';
    const value = doc.valueName === undefined ? '' : ` <${doc.valueName}>`;
    return [`--${name}${short}${value}`, doc.description] as const;
  });
  return [
    `Usage: ${BINARY_NAME} <command> [flags]`,
    '',
    'Commands:',
    ...table(commandRows),
    '',
    'Inputs (the same names work as action inputs and as keys of --config-file):',
    ...table(inputRows),
    '',
    'CLI-only flags:',
    ...table(cliRows),
    '',
  ].join('\n');
}

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
