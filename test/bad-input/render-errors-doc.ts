/**
 * Renders docs/errors.md from the bad-input case tables (pure). errors-doc.test.ts compares the
 * result with the file, so the document lists exactly what the tests try.
 */
import { ACTION_CASES } from './action-cases.js';
import type { BadInputCase, Channel } from './bad-input-case.js';
import { CLI_CASES } from './cli-cases.js';
import { CONFIG_FILE_CASES } from './config-file-cases.js';
import { GITHUB_TOKEN_CASES } from './github-token-cases.js';
import { SERVER_CASES } from './server-cases.js';
import { STORED_DATA_CASES } from './stored-data-cases.js';

/** Every table, in the document's order, with where it is run. */
export const CASE_TABLES: readonly {
  readonly channel: Channel;
  readonly cases: readonly BadInputCase[];
  readonly testFile: string;
}[] = [
  { channel: 'action input', cases: ACTION_CASES, testFile: 'test/bad-input/action-inputs.test.ts' },
  { channel: 'CLI flag', cases: CLI_CASES, testFile: 'test/bad-input/cli-flags.test.ts' },
  { channel: 'config file (YAML)', cases: CONFIG_FILE_CASES, testFile: 'test/bad-input/config-files.test.ts' },
  {
    channel: 'model metadata (real Triton)',
    cases: SERVER_CASES.filter((c) => c.channel === 'model metadata (real Triton)'),
    testFile: 'test/integration/bad-server-inputs.test.ts',
  },
  {
    channel: 'server connection (real Triton)',
    cases: SERVER_CASES.filter((c) => c.channel === 'server connection (real Triton)'),
    testFile: 'test/integration/bad-server-inputs.test.ts',
  },
  { channel: 'stored data', cases: STORED_DATA_CASES, testFile: 'test/bad-input/stored-data.test.ts' },
  { channel: 'GitHub token', cases: GITHUB_TOKEN_CASES, testFile: 'test/integration/bad-github-token.test.ts' },
];

/** A table cell holding `text` as code: a backtick fence longer than any run inside, `|` escaped. */
function codeCell(text: string): string {
  if (text === '') return '(empty)';
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = longestRun > 0 || text.startsWith('`') || text.endsWith('`') ? ` ${text} ` : text;
  return `${fence}${padded.replaceAll('|', '\\|')}${fence}`;
}

function plainCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

function table(cases: readonly BadInputCase[], firstNumber: number): string[] {
  const rows = cases.map((c, i) => {
    const input =
      c.namedAs === undefined ? codeCell(c.input) : `${codeCell(c.input)} (named as ${codeCell(c.namedAs)})`;
    return `| ${firstNumber + i} | ${plainCell(c.name)} | ${input} | ${codeCell(c.value)} | ${codeCell(c.excerpt)} | ${c.exitCode} | ${plainCell(c.note ?? '')} |`;
  });
  return [
    '| # | case | input | bad value | message (excerpt) | exit | note |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ];
}

const INTRO = `# Errors for bad inputs

Every invalid input the reliability suite tries (issue 6), with the message a user sees and the
exit code. **Generated** from the case tables in \`test/bad-input/*-cases.ts\` (the test file
named above each table runs its cases and asserts each excerpt verbatim against real output);
\`test/bad-input/errors-doc.test.ts\` fails when this file differs from the tables. Edit the
tables, then refresh this file with \`npx vitest run test/bad-input/errors-doc.test.ts -u\`.

In excerpts, \`{dir}\` is the case's scratch directory and \`{server}\`, \`{http}\` and \`{closed}\` are
the real Triton's gRPC and HTTP \`host:port\` and a port nothing listens on.

## Exit codes and where messages go

| entry | outcome | where |
| --- | --- | --- |
| CLI, bad flag or value (\`UsageError\`, \`ConfigError\`) | exit **2**, before any connection to the server | stderr, one line per issue |
| CLI, the server's answer proves an input wrong (unknown model or version, inputs that do not fit the model) | exit **2**, before any ModelInfer or reload | stderr (\`ConfigError\`) |
| CLI, the server cannot be used (nothing listening, HTTP port, TLS mismatch, model not loaded) | exit **1**: from outside this cannot be told from an outage (docs/architecture.md#errors "server down, model not ready → run fails") | stderr (\`TritonError\`: RPC, server, status, next step) |
| Action, any of the above | failed step: exit **1**, one \`::error::\` (all issues in it), never a \`pass\` verdict | log, job summary |
| Action, a token without a permission | a \`::warning::\` naming the permission; the step goes on (docs/baseline-store.md, docs/architecture.md#comparison-store-and-reports) | log, job summary |

Every issue of a configuration is reported at once (\`ConfigError\` lists them one per line); nothing
is sent to the server before the whole configuration is valid (docs/architecture.md#config). Values of
\`server-headers\` are secrets: messages show \`***\`, never the value.

## The command strategy never comes from a config file

A \`config-file\` lives in the repository under test, so in a pull request it is the author's
content. \`batch-strategy: command\` with \`batch-command\` runs a shell command on the runner, so a
config file may set neither: both are refused (\`from\` in \`src/config/inputs.ts\`, applied by
\`readConfigFile\` for the Action and the CLI alike). Set them in the workflow's \`with:\` or as CLI
flags. The command text is never repeated in the message.
`;

/** The whole document. */
export function renderErrorsDoc(): string {
  const lines = [INTRO];
  let next = 1;
  for (const { channel, cases, testFile } of CASE_TABLES) {
    lines.push(
      `## ${channel[0]?.toUpperCase() ?? ''}${channel.slice(1)} (${cases.length})`,
      '',
      `Run by \`${testFile}\`.`,
      '',
      ...table(cases, next),
      '',
    );
    next += cases.length;
  }
  const total = CASE_TABLES.reduce((sum, t) => sum + t.cases.length, 0);
  lines.push(`## Count`, '', `${total} bad inputs across ${CASE_TABLES.length} channels.`, '');
  return lines.join('\n');
}
