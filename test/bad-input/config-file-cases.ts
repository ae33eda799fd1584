/**
 * Bad YAML config files (`--config-file` / `config-file`), read through the CLI. Problems with
 * the file itself name input `config-file` and its path; bad values name their own input and
 * say which file and line they came from. All exit 2 before any connection.
 */
import type { BadInputCase } from './bad-input-case.js';

/** A config-file case: the file's text (written as `{dir}/perf.yml`) or a path to a missing file. */
export interface ConfigFileCase extends BadInputCase {
  /** undefined: the file is not written (a missing file). */
  readonly yaml: string | undefined;
}

const TOKEN = 'ghp_FAKE_token_in_a_file_0123';

export const CONFIG_FILE_CASES: readonly ConfigFileCase[] = [
  {
    name: 'YAML syntax error',
    input: 'config-file',
    value: 'users: [1, 2',
    exitCode: 2,
    yaml: 'model: demo_onnx\nusers: [1, 2\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected valid YAML; Flow sequence in block collection must be sufficiently indented and end with a ]`,
  },
  {
    name: 'tab indentation',
    input: 'config-file',
    value: '\\tusers: 4',
    exitCode: 2,
    yaml: 'model: demo_onnx\n\tusers: 4\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected valid YAML; Tabs are not allowed as indentation at line 2, column 1`,
  },
  {
    name: 'key typo with underscore',
    input: 'config-file',
    value: 'max_batch: [8, 16]',
    exitCode: 2,
    yaml: 'model: demo_onnx\nmax_batch: [8, 16]\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected input names as keys; line 2: unknown key 'max_batch', did you mean 'max-batch'?`,
  },
  {
    name: 'key typo with swapped letters',
    input: 'config-file',
    value: 'usres: 1-4',
    exitCode: 2,
    yaml: 'model: demo_onnx\nusres: 1-4\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected input names as keys; line 2: unknown key 'usres', did you mean 'users'?`,
  },
  {
    name: 'duplicate key',
    input: 'config-file',
    value: 'users twice',
    exitCode: 2,
    yaml: 'model: demo_onnx\nusers: 1-4\nusers: 8\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected valid YAML; Map keys must be unique at line 3, column 1`,
  },
  {
    name: 'a list instead of a mapping',
    input: 'config-file',
    value: '- model: demo_onnx',
    exitCode: 2,
    yaml: '- model: demo_onnx\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected a YAML mapping of input names to values; the file is not a mapping`,
  },
  {
    name: 'token in the file',
    input: 'config-file',
    value: 'github-token: <token>',
    exitCode: 2,
    yaml: `model: demo_onnx\ngithub-token: ${TOKEN}\n`,
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected input names as keys; line 2: github-token is an action input only; keep tokens out of files`,
    note: 'the token itself is not repeated',
    secret: TOKEN,
  },
  {
    name: 'a config file naming another',
    input: 'config-file',
    value: 'config-file: other.yml',
    exitCode: 2,
    yaml: 'model: demo_onnx\nconfig-file: other.yml\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected input names as keys; line 2: a config file cannot name another config file`,
  },
  {
    name: 'missing file',
    input: 'config-file',
    value: '{dir}/perf.yml',
    exitCode: 2,
    yaml: undefined,
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected a readable YAML file; the file does not exist`,
  },
  {
    name: 'empty list',
    input: 'users',
    value: '[]',
    exitCode: 2,
    yaml: 'model: demo_onnx\nusers: []\n',
    excerpt: `input 'users': got '[]', expected a list of single values; the list is empty; in {dir}/perf.yml line 2`,
  },
  {
    name: 'list of mappings',
    input: 'max-batch',
    value: '[{"a":1}]',
    exitCode: 2,
    yaml: 'model: demo_onnx\nmax-batch: [{a: 1}]\n',
    excerpt: `input 'max-batch': got '[{"a":1}]', expected a list of single values; in {dir}/perf.yml line 2`,
  },
  {
    name: 'a list where one value goes',
    input: 'model',
    value: '["demo_onnx"]',
    exitCode: 2,
    yaml: 'model: [demo_onnx]\n',
    excerpt: `input 'model': got '["demo_onnx"]', expected a single value; in {dir}/perf.yml line 1`,
  },
  {
    name: 'hexadecimal stays text',
    input: 'trials',
    value: '0x10',
    exitCode: 2,
    yaml: 'model: demo_onnx\ntrials: 0x10\n',
    excerpt: `input 'trials': got '0x10', expected an integer from 3 to 100 (the rank test needs 3 trials per side); write plain decimal digits`,
  },
  {
    name: 'yes is not a boolean',
    input: 'confirm',
    value: 'yes',
    exitCode: 2,
    yaml: 'model: demo_onnx\nconfirm: yes\n',
    excerpt: `input 'confirm': got 'yes', expected true or false`,
  },
  {
    name: 'alpha of 0',
    input: 'alpha',
    value: '0',
    exitCode: 2,
    yaml: 'model: demo_onnx\nalpha: 0\n',
    excerpt: `input 'alpha': got '0', expected a number strictly between 0 and 1 (e.g. '0.05')`,
  },
  {
    name: 'min-effect of 100%',
    input: 'min-effect',
    value: '100%',
    exitCode: 2,
    yaml: 'model: demo_onnx\nmin-effect: 100%\n',
    excerpt: `input 'min-effect': got '100%', expected a fraction from 0% to under 100% ('5%' or '0.05')`,
  },
  {
    name: 'batch-command in a config file',
    input: 'batch-command',
    value: '(set in config-file {dir}/perf.yml)',
    exitCode: 2,
    yaml: 'model: demo_onnx\nbatch-command: ./set-max-batch.sh "$MAX_BATCH"\n',
    excerpt: `input 'batch-command': got '(set in config-file {dir}/perf.yml)', expected no batch-command in a config file; {dir}/perf.yml is repository content that a pull request can change, and this runs a shell command on the runner`,
    note: 'issue 6: the command strategy only comes from the workflow (or CLI flags); the command is not repeated',
    secret: 'set-max-batch.sh',
  },
  {
    name: 'command strategy in a config file',
    input: 'batch-strategy',
    value: 'command',
    exitCode: 2,
    yaml: 'model: demo_onnx\nbatch-strategy: command\n',
    excerpt: `input 'batch-strategy': got 'command', expected reload, models or fixed in a config file ('command' only from the workflow or the command line)`,
  },
  {
    name: 'YAML alias bomb',
    input: 'config-file',
    value: 'nested aliases expanding to 9^6 nodes',
    exitCode: 2,
    yaml: 'model: demo_onnx\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\ninputs: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    excerpt: `input 'config-file': got '{dir}/perf.yml', expected YAML whose aliases expand to at most 100 nodes; Excessive alias count indicates a resource exhaustion attack`,
    note: 'valid aliases (`max-batch: &x 8`, `users: [1, *x]`) are resolved by the YAML library and accepted',
  },
];
