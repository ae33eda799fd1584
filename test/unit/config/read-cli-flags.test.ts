import { describe, expect, it } from 'vitest';
import { CLI_FLAG_DOCS, INPUT_DOCS, defaultText } from '../../../src/config/input-docs.js';
import { INPUT_NAMES } from '../../../src/config/inputs.js';
import { parseConfig } from '../../../src/config/parse-config.js';
import { CLI_COMMANDS, cliHelpText, readCliFlags } from '../../../src/config/read-cli-flags.js';
import { UsageError } from '../../../src/config/usage-error.js';

function usageErrorOf(argv: readonly string[]): UsageError {
  try {
    readCliFlags(argv);
  } catch (error: unknown) {
    expect(error).toBeInstanceOf(UsageError);
    if (error instanceof UsageError) return error;
  }
  expect.fail(`expected a UsageError for ${argv.join(' ')}`);
}

describe('readCliFlags', () => {
  it.each(INPUT_NAMES)('reads --%s as a raw input', (name) => {
    expect(readCliFlags(['run', `--${name}`, 'value']).raw).toEqual({ [name]: 'value' });
  });

  it('refuses an empty flag value (an unset shell variable is no request for the default)', () => {
    expect(() => readCliFlags(['run', '--server-url', ''])).toThrow("flag '--server-url' is given an empty value");
  });

  it('reads --name=value and keeps positionals after the command', () => {
    const result = readCliFlags(['report', '--users=1-4', 'result.json']);
    expect(result).toEqual({
      command: 'report',
      raw: { users: '1-4' },
      flags: { isQuiet: false, isHelp: false, baseline: undefined, current: undefined },
      positionals: ['result.json'],
    });
  });

  it('passes values through untouched for parseConfig to judge', () => {
    expect(readCliFlags(['run', '--requests', ' 8 ']).raw).toEqual({ requests: ' 8 ' });
    expect(readCliFlags(['run', '--max-batch=-1']).raw).toEqual({ 'max-batch': '-1' });
  });

  it.each(Object.keys(CLI_COMMANDS))('accepts the command %s', (command) => {
    expect(readCliFlags([command]).command).toBe(command);
  });

  it.each([
    [['--help'], 'help', true],
    [['-h'], 'help', true],
    [['run', '--help'], 'run', true],
    [['run'], 'run', false],
  ] as const)('%j is command %s with isHelp %s', (argv, command, isHelp) => {
    const result = readCliFlags(argv);
    expect(result.command).toBe(command);
    expect(result.flags.isHelp).toBe(isHelp);
  });

  it.each([
    [['run', '--quiet'], true],
    [['run', '-q'], true],
    [['run'], false],
  ] as const)('%j sets isQuiet %s', (argv, isQuiet) => {
    expect(readCliFlags(argv).flags.isQuiet).toBe(isQuiet);
  });

  it('maps --baseline-dir to the file store and --save to save-baseline always', () => {
    expect(readCliFlags(['run', '--baseline-dir', 'perf', '--save', '--model', 'resnet']).raw).toEqual({
      model: 'resnet',
      'baseline-store': 'file',
      'baseline-path': 'perf',
      'save-baseline': 'always',
    });
    const config = parseConfig(readCliFlags(['run', '--model', 'resnet', '--baseline-dir', 'perf', '--save']).raw);
    expect(config.store).toMatchObject({ kind: 'file', path: 'perf', save: 'always' });
  });

  it('accepts shortcuts that agree with explicit inputs', () => {
    expect(readCliFlags(['run', '--baseline-dir', 'perf', '--baseline-store', 'file']).raw).toMatchObject({
      'baseline-store': 'file',
    });
    expect(readCliFlags(['run', '--save', '--save-baseline', 'always']).raw).toMatchObject({
      'save-baseline': 'always',
    });
  });

  it('reads --baseline and --current for compare', () => {
    const result = readCliFlags(['compare', '--baseline', 'perf/', '--current', 'run.json']);
    expect(result.flags).toMatchObject({ baseline: 'perf/', current: 'run.json' });
  });
});

describe('readCliFlags usage errors', () => {
  it.each([
    [['run', '--user', '4'], "unknown flag '--user'; did you mean '--users'?", '--user'],
    [['run', '--max_batch', '8'], "unknown flag '--max_batch'; did you mean '--max-batch'?", '--max_batch'],
    [['run', '--maxcv=0.1'], "did you mean '--max-cv'?", '--maxcv'],
    [['run', '--quite'], "did you mean '--quiet'?", '--quite'],
    [['run', '--gpu', 'a100'], "unknown flag '--gpu' (see --help)", '--gpu'],
    [['run', '-x'], "unknown flag '-x'", '-x'],
    [['run', '--github-token', 't'], "unknown flag '--github-token'", '--github-token'],
    [['run', '--users', '1', '--users', '2'], "flag '--users' is given more than once", '--users'],
    [['run', '--users'], "Option '--users <value>' argument missing", '--users'],
    [['run', '--quiet=yes'], 'does not take an argument', '--quiet'],
    [['run', '--max-batch', '-1'], 'argument is ambiguous', '--max-batch'],
    [['rn'], "unknown command 'rn'; did you mean 'run'?", 'rn'],
    [['benchmark'], "unknown command 'benchmark' (expected one of run, compare, report, merge, help)", 'benchmark'],
    [[], 'missing command; expected one of run, compare, report, merge, help', undefined],
    [['run', '--current', 'x.json'], "--current is only used by 'compare'", '--current'],
    [['run', '--baseline', 'perf'], "--baseline is only used by 'compare' and 'report'", '--baseline'],
    [
      ['run', '--baseline-dir', 'perf', '--baseline-store', 'branch'],
      "--baseline-dir conflicts with --baseline-store 'branch'",
      '--baseline-dir',
    ],
    [
      ['run', '--baseline-dir', 'perf', '--baseline-path', 'other'],
      "--baseline-dir conflicts with --baseline-path 'other'",
      '--baseline-dir',
    ],
    [['run', '--save', '--save-baseline', 'never'], "--save conflicts with --save-baseline 'never'", '--save'],
  ] as const)('%j', (argv, message, flag) => {
    const error = usageErrorOf(argv);
    expect(error.name).toBe('UsageError');
    expect(error.message).toContain(message);
    expect(error.flag).toBe(flag);
  });
});

describe('cliHelpText', () => {
  const help = cliHelpText();

  it.each(Object.keys(CLI_COMMANDS))('lists the command %s', (command) => {
    expect(help).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  it.each(INPUT_NAMES)('lists --%s with its description and default', (name) => {
    const line = help.split('\n').find((candidate) => candidate.startsWith(`  --${name} `));
    expect(line).toContain(INPUT_DOCS[name].description);
    expect(line).toContain(`(default: ${defaultText(INPUT_DOCS[name])})`);
  });

  it.each(Object.keys(CLI_FLAG_DOCS) as (keyof typeof CLI_FLAG_DOCS)[])('lists the CLI-only flag --%s', (name) => {
    const line = help.split('\n').find((candidate) => new RegExp(`^  --${name}[ ,]`).test(candidate));
    expect(line).toContain(CLI_FLAG_DOCS[name].description);
  });
});
