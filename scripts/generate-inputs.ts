/**
 * Writes what the input declarations (src/config/inputs.ts) generate: action.yml's `inputs:`
 * block and docs/inputs.md (`npm run generate:inputs`). test/unit/config/action-yml.test.ts
 * fails when either differs from what this would write, so they cannot drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  ACTION_ONLY_INPUTS,
  ACTION_ONLY_SPECS,
  INPUT_NAMES,
  INPUT_SPECS,
  type InputSpec,
  defaultText,
  isAllowedFrom,
} from '../src/config/inputs.js';

const WIDTH = 96;

/** Sentence case with a final period: input descriptions are one lower-case line for `--help`. */
function sentence(text: string): string {
  // `gRPC ...` keeps its case: a word already mixed-case is a name.
  const first = /^[a-z][A-Z]/.test(text) ? text.charAt(0) : text.charAt(0).toUpperCase();
  return `${first}${text.slice(1)}.`;
}

/** `text` folded into lines of at most WIDTH characters after `indent`. */
function fold(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(`${indent}${line}`);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, `${indent}${line}`];
}

function actionEntries(): [string, InputSpec][] {
  const run = INPUT_NAMES.filter((name) => isAllowedFrom(name, 'action')).map(
    (name) => [name, INPUT_SPECS[name] as InputSpec] as [string, InputSpec],
  );
  return [
    ...run,
    ...ACTION_ONLY_INPUTS.map((name) => [name, ACTION_ONLY_SPECS[name] as InputSpec] as [string, InputSpec]),
  ];
}

/** action.yml with its `inputs:` block replaced by the one the declarations generate. */
export function actionYmlWithInputs(current: string): string {
  const start = current.indexOf('\ninputs:\n');
  const end = current.indexOf('\noutputs:\n');
  if (start < 0 || end < start) throw new Error("action.yml: expected an 'inputs:' block followed by 'outputs:'");
  const block = actionEntries().flatMap(([name, input]) => [
    `  ${name}:`,
    '    description: >-',
    ...fold(`${sentence(input.description)} Default: ${defaultText(input)}.`, '      '),
    '    required: false',
    // github-token is the one input with a default: the job's token (any other default here would
    // be sent as a value and shadow the same key of config-file).
    ...(name === 'github-token' ? ['    default: ${{ github.token }}'] : []),
  ]);
  return `${current.slice(0, start)}\ninputs:\n${block.join('\n')}\n${current.slice(end)}`;
}

/** docs/inputs.md: every input, by group, with where it may come from. */
export function inputsMarkdown(): string {
  const rows = actionEntries().map(([name, input]) => {
    const from = (input.from ?? ['action', 'cli', 'file']).join(', ');
    const cell = (text: string): string => text.replace(/\|/g, '\\|');
    return `| \`${name}\` | ${input.group} | ${cell(input.description)} | ${cell(defaultText(input))} | ${from} |`;
  });
  return [
    '# Inputs',
    '',
    'Generated from `src/config/inputs.ts` by `npm run generate:inputs`; do not edit by hand. Every input',
    'is an Action input (`with:`), a CLI flag (`--<name>`) and a `config-file` key, unless "from" says',
    'otherwise. `triton-throughput-gate <command> --help` lists the flags a command reads.',
    '',
    '| input | group | description | default | from |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  writeFileSync('action.yml', actionYmlWithInputs(readFileSync('action.yml', 'utf8')));
  writeFileSync('docs/inputs.md', inputsMarkdown());
}
