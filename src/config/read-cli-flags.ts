/**
 * The CLI's input reader: `argv` to a command, raw inputs (`--<input-name> <value>` for every
 * declared input, plus perf_analyzer's spellings such as `-m` and `--concurrency-range`) and the
 * few CLI-only flags. Strict: an unknown or repeated flag is a `UsageError` naming it, with the
 * nearest known flag, instead of an input silently keeping its default.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  INPUT_NAMES,
  INPUT_SPECS,
  Input,
  type InputGroup,
  type InputName,
  type RawInputs,
  defaultText,
  isAllowedFrom,
} from './inputs.js';
import { closestMatch } from './suggest.js';
import { UsageError } from './usage-error.js';

/** CLI commands, what they do and which input groups they read, in help order. */
export const CLI_COMMANDS = {
  run: {
    summary: 'measure the matrix on a live Triton, compare with the baseline and gate',
    groups: ['general', 'server', 'matrix', 'control', 'paired', 'gate', 'answers', 'store', 'report'],
  },
  compare: {
    summary: 'compare a result file (--current) with a baseline (--baseline); no server needed',
    groups: ['general', 'gate'],
  },
  report: {
    summary: 'print the markdown report of a result file (--current), against --baseline if given',
    groups: ['general', 'gate', 'answers'],
  },
  merge: {
    summary:
      "merge shard jobs' result files (merge <file...> or --in <dir>) into one run, compare and report it; no server needed",
    groups: ['general', 'gate', 'answers', 'store', 'report'],
  },
  help: { summary: 'show this help (help <command> for one command)', groups: [] },
} as const satisfies Record<string, { summary: string; groups: readonly InputGroup[] }>;

/** A CLI command; `help` is also what a bare `--help` means. */
export type CliCommand = keyof typeof CLI_COMMANDS;

/** A flag only the CLI has; `value` undefined means a switch, `commands` undefined every command. */
interface CliFlag {
  readonly description: string;
  readonly value?: string;
  readonly short?: string;
  readonly commands?: readonly CliCommand[];
}

const CLI_FLAGS: Readonly<Record<string, CliFlag>> = {
  quiet: { description: 'print only the verdict and errors', short: 'q' },
  help: { description: 'show the help of the command', short: 'h' },
  version: { description: 'print the version and exit', short: 'V' },
  'baseline-dir': {
    description: 'use a file store in this directory (baseline-store file + baseline-path)',
    value: 'dir',
    commands: ['run', 'merge'],
  },
  save: { description: 'save this run as a baseline (save-baseline always)', commands: ['run', 'merge'] },
  baseline: {
    description: 'compare/report: baseline result file or file-store directory',
    value: 'dir|file',
    commands: ['compare', 'report'],
  },
  current: {
    description: 'compare/report: the result file to judge or render',
    value: 'file',
    commands: ['compare', 'report'],
  },
  in: {
    description: "merge: directory of the shard jobs' result files (and its direct subdirectories)",
    value: 'dir',
    commands: ['merge'],
  },
};

/** What `readCliFlags` found on the command line. */
export type CliArguments = ReturnType<typeof readCliFlags>;
/** The CLI-only flags, after `--baseline-dir` and `--save` were mapped into raw inputs. */
export type CliOnlyFlags = CliArguments['flags'];

/** The CLI's name, as package.json's `bin` installs it. */
export const BINARY_NAME = 'triton-throughput-gate';
type Options = NonNullable<ParseArgsConfig['options']>;

/** The input each alias (`m`, `concurrency-range`) stands for. */
const ALIASES: ReadonlyMap<string, InputName> = new Map(
  INPUT_NAMES.flatMap((name) => (INPUT_SPECS[name] as CliAliased).cliAliases?.map((alias) => [alias, name]) ?? []),
);
type CliAliased = { readonly cliAliases?: readonly string[] };

function buildOptions(): Options {
  const options: Options = {};
  for (const name of INPUT_NAMES) if (isAllowedFrom(name, 'cli')) options[name] = { type: 'string' };
  for (const [alias, name] of ALIASES) {
    // One-letter aliases are node's `short` of the input's own flag; longer ones are flags of their own.
    if (alias.length === 1) options[name] = { type: 'string', short: alias };
    else options[alias] = { type: 'string' };
  }
  for (const [name, { value, short }] of Object.entries(CLI_FLAGS)) {
    options[name] = { type: value === undefined ? 'boolean' : 'string', ...(short === undefined ? {} : { short }) };
  }
  return options;
}

/**
 * Reads the CLI arguments (`process.argv.slice(2)`): the command, the input flags as given plus
 * what CLI shortcuts mean (`raw`), the CLI-only flags and the positional arguments after the command.
 *
 * @throws UsageError for an unknown, repeated or malformed flag, an unknown or missing command,
 *   conflicting shortcuts, or a command-specific flag on another command.
 */
export function readCliFlags(argv: readonly string[]) {
  const options = buildOptions();
  rejectUnknownAndRepeated(argv, options);
  const { values, positionals } = parseStrictly(argv, options);
  const flagText = (name: string): string | undefined => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  for (const [name, value] of Object.entries(values)) {
    // `--server-url ''` is an unset shell variable, not a request for the default.
    if (typeof value === 'string' && value.trim() === '') {
      const message = `flag '--${name}' is given an empty value; give a value, or leave the flag out for the default`;
      throw new UsageError(message, { flag: `--${name}` });
    }
  }
  const isHelp = values.help === true;
  const isVersion = values.version === true;
  const command = readCommand(positionals[0], isHelp || isVersion);
  for (const [name, { commands: owners }] of Object.entries(CLI_FLAGS)) {
    if (values[name] !== undefined && owners !== undefined && !owners.includes(command) && command !== 'help') {
      const message = `--${name} is only used by ${owners.map((owner) => `'${owner}'`).join(' and ')}`;
      throw new UsageError(message, { flag: `--${name}` });
    }
  }
  const raw: RawInputs = {};
  for (const name of INPUT_NAMES) if (flagText(name) !== undefined) raw[name] = flagText(name);
  for (const [alias, name] of ALIASES) {
    const value = flagText(alias);
    if (value === undefined) continue;
    if (raw[name] !== undefined)
      throw new UsageError(`flag '--${alias}' is given with '--${name}': they are one input`, { flag: `--${alias}` });
    raw[name] = value;
  }
  const baselineDir = flagText('baseline-dir');
  if (baselineDir !== undefined)
    applyShortcut(raw, 'baseline-dir', { [Input.baselineStore]: 'file', [Input.baselinePath]: baselineDir });
  if (values.save === true) applyShortcut(raw, 'save', { [Input.saveBaseline]: 'always' });
  const flags = {
    isQuiet: values.quiet === true,
    isHelp,
    isVersion,
    /** `--baseline` (compare, report): a result file or a file-store directory. */
    baseline: flagText('baseline'),
    /** `--current` (compare, report): the result file to judge. */
    current: flagText('current'),
    /** `--in` (merge): a directory of shard result files. */
    in: flagText('in'),
  };
  return { command, raw, flags, positionals: positionals.slice(1) };
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
    if (seen.has(token.name))
      throw new UsageError(`flag '--${token.name}' is given more than once`, { flag: `--${token.name}` });
    seen.add(token.name);
  }
}

/** Second pass, strict: node's own checks (missing values, values on switches) as usage errors. */
function parseStrictly(argv: readonly string[], options: Options) {
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

function readCommand(word: string | undefined, isHelpOrVersion: boolean): CliCommand {
  const commands = Object.keys(CLI_COMMANDS);
  if (word === undefined) {
    if (isHelpOrVersion) return 'help';
    throw new UsageError(`missing command; expected one of ${commands.join(', ')}`);
  }
  if (Object.hasOwn(CLI_COMMANDS, word)) return word as CliCommand;
  const nearest = closestMatch(word, commands);
  const suggestion = nearest === undefined ? '' : `; did you mean '${nearest}'?`;
  const message = `unknown command '${word}'${suggestion} (expected one of ${commands.join(', ')})`;
  throw new UsageError(message, { flag: word });
}

/** Sets what a shortcut flag means, refusing an explicit input that says otherwise. */
function applyShortcut(raw: RawInputs, shortcut: string, meaning: RawInputs): void {
  for (const [name, value] of Object.entries(meaning) as [InputName, string][]) {
    const explicit = raw[name];
    if (explicit !== undefined && explicit !== value) {
      throw new UsageError(`--${shortcut} conflicts with --${name} '${explicit}'`, { flag: `--${shortcut}` });
    }
    raw[name] = value;
  }
}

/**
 * The `--help` text: without a command (or `help`), the commands and every flag; with one, that
 * command's own flags (`run --help`, `help merge`).
 */
export function cliHelpText(command: CliCommand = 'help', topic?: string): string {
  const shown: CliCommand =
    command === 'help' && topic !== undefined && Object.hasOwn(CLI_COMMANDS, topic) ? (topic as CliCommand) : command;
  const groups: readonly InputGroup[] = CLI_COMMANDS[shown === 'help' ? 'run' : shown].groups;
  const inputRows = INPUT_NAMES.filter(
    (name) => isAllowedFrom(name, 'cli') && groups.includes(INPUT_SPECS[name].group),
  ).map((name): Row => {
    const input = INPUT_SPECS[name];
    const aliases = ((input as CliAliased).cliAliases ?? []).map((alias) => (alias.length === 1 ? '-' : '--') + alias);
    return [
      `${[`--${name}`, ...aliases].join(', ')} <${input.value.placeholder}>`,
      `${input.description} (default: ${defaultText(input)})`,
    ];
  });
  const cliRows = Object.entries(CLI_FLAGS)
    .filter(([, { commands }]) => shown === 'help' || (commands ?? [shown]).includes(shown))
    .map(([name, { description, value, short }]): Row => {
      return [
        `--${name}${short === undefined ? '' : `, -${short}`}${value === undefined ? '' : ` <${value}>`}`,
        description,
      ];
    });
  const head =
    shown === 'help'
      ? [
          `Usage: ${BINARY_NAME} <command> [flags]`,
          '',
          'Commands:',
          ...table(Object.entries(CLI_COMMANDS).map(([name, { summary }]): Row => [name, summary])),
        ]
      : [
          `Usage: ${BINARY_NAME} ${shown} [flags]${shown === 'merge' ? ' [file...]' : ''}`,
          '',
          CLI_COMMANDS[shown].summary,
        ];
  const inputsTitle = 'Inputs (the same names work as action inputs and as keys of --config-file):';
  return [...head, '', inputsTitle, ...table(inputRows), '', 'CLI-only flags:', ...table(cliRows), ''].join('\n');
}

type Row = readonly [string, string];
function table(rows: readonly Row[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}
