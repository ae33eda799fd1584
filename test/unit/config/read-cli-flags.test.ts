import { describe, expect, it } from 'vitest';
import { INPUT_NAMES, INPUT_SPECS, defaultText } from '../../../src/config/inputs.js';
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
      flags: {
        isQuiet: false,
        isHelp: false,
        isVersion: false,
        baseline: undefined,
        current: undefined,
        in: undefined,
      },
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
    [['run', '-z'], "unknown flag '-z'", '-z'],
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
    const line = help
      .split('\n')
      .find((candidate) => candidate.startsWith(`  --${name} `) || candidate.startsWith(`  --${name},`));
    expect(line).toContain(INPUT_SPECS[name].description);
    expect(line).toContain(`(default: ${defaultText(INPUT_SPECS[name])})`);
  });

  it.each(['quiet', 'help', 'version', 'baseline-dir', 'save', 'baseline', 'current', 'in'])(
    'lists the CLI-only flag --%s',
    (name) => {
      expect(help).toMatch(new RegExp(`^  --${name}[ ,]`, 'm'));
    },
  );
});

describe("perf_analyzer's spellings", () => {
  it.each([
    [['run', '-m', 'resnet'], { model: 'resnet' }],
    [['run', '-u', 'triton:8001'], { 'server-url': 'triton:8001' }],
    [['run', '--url', 'triton:8001'], { 'server-url': 'triton:8001' }],
    [['run', '-x', '2'], { 'model-version': '2' }],
    [['run', '-b', '4'], { 'items-per-request': '4' }],
    [['run', '-H', 'x-team: ml'], { 'server-headers': 'x-team: ml' }],
    [['run', '--concurrency-range', '1:10:1'], { users: '1:10:1' }],
  ] as const)('%j reads as %j', (argv, raw) => {
    expect(readCliFlags(argv).raw).toEqual(raw);
  });

  it('refuses an alias given with the input it stands for', () => {
    expect(() => readCliFlags(['run', '--users', '1-4', '--concurrency-range', '1:4'])).toThrow(
      "flag '--concurrency-range' is given with '--users': they are one input",
    );
    expect(() => readCliFlags(['run', '--model', 'a', '-m', 'b'])).toThrow("flag '--model' is given more than once");
  });

  it("reads perf_analyzer's start:end:step range as users", () => {
    expect(parseConfig(readCliFlags(['run', '-m', 'resnet', '--concurrency-range', '2:8:2']).raw).matrix.users).toEqual(
      [2, 4, 6, 8],
    );
  });
});

describe('--version and per-command --help', () => {
  it('reads --version and -V with or without a command', () => {
    expect(readCliFlags(['--version']).flags.isVersion).toBe(true);
    expect(readCliFlags(['-V']).command).toBe('help');
    expect(readCliFlags(['run', '--version']).flags.isVersion).toBe(true);
  });

  it("run --help lists run's inputs and flags, not compare's", () => {
    const help = cliHelpText('run');
    expect(help).toMatch(/^Usage: triton-throughput-gate run \[flags\]$/m);
    expect(help).toMatch(/^ {2}--users, --concurrency-range <list> /m);
    expect(help).toMatch(/^ {2}--model, -m <name> /m);
    expect(help).toMatch(/^ {2}--baseline-dir <dir> /m);
    expect(help).not.toMatch(/--current/);
  });

  it("compare --help lists the gate's inputs and --current, not the matrix", () => {
    const help = cliHelpText('compare');
    expect(help).toMatch(/^ {2}--min-effect <fraction> /m);
    expect(help).toMatch(/^ {2}--current <file> /m);
    expect(help).not.toMatch(/--users|--server-url|--baseline-dir/);
  });

  it("'help merge' is merge's help; the global help lists every command", () => {
    expect(cliHelpText('help', 'merge')).toMatch(/^Usage: triton-throughput-gate merge \[flags\] \[file\.\.\.\]$/m);
    expect(cliHelpText('help', 'merge')).toMatch(/^ {2}--in <dir> /m);
    expect(cliHelpText()).toMatch(/^ {2}merge {2,}/m);
  });
});
