/**
 * Escaping of untrusted text (model names, benchmark keys, Triton messages, shas from the store)
 * for a GitHub comment (docs/architecture.md#comparison-store-and-reports). GitHub renders markdown, then sanitises HTML, then links
 * @-mentions and #references in text nodes; each step needs its own defence.
 */

/** Default cap for one escaped string in prose; long server messages get their own cap. */
export const DEFAULT_TEXT_CHARS = 200;

/** Zero-width joiner: placed after `@` (and `#` before a digit) so GitHub links nobody. */
const ZWJ = '\u200D';

// ANSI escape sequences (colours in server logs) are dropped whole; other control characters
// and bidi overrides ("Trojan source") become spaces. Neither ever reaches a report.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const ANSI_SEQUENCES = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Characters that mean something to GFM, GitHub math or HTML, with their inert spelling. */
const REPLACEMENTS: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // An entity, not `\|`: it never splits a table cell and reads the same outside tables.
  '|': '&#124;',
  '*': '\\*',
  _: '\\_',
  '`': '\\`',
  '[': '\\[',
  ']': '\\]',
  '~': '\\~',
  $: '\\$',
};
const SPECIAL_CHARS = /[\\&<>|*_`[\]~$]/g;

/**
 * Makes untrusted `text` safe and inert in markdown and HTML: one line (whitespace collapsed),
 * at most `maxChars` characters before escaping (a trailing `…` marks the cut), markdown/HTML
 * specials escaped, @-mentions, #references and bare-URL autolinks neutralised.
 */
export function escapeMarkdown(text: string, maxChars: number = DEFAULT_TEXT_CHARS): string {
  return escapeLine(truncateText(toSingleLine(text), maxChars));
}

/**
 * Like {@link escapeMarkdown} but keeps the text's line breaks as `<br>` (empty lines dropped),
 * for multi-line server messages such as TensorRT build logs. The result is still one markdown
 * line, so no escaped line can start a heading or a list.
 */
export function escapeMarkdownLines(text: string, maxChars: number): string {
  return toLines(text, maxChars).map(escapeLine).join('<br>');
}

/**
 * Untrusted `text` for a terminal: one line, no control characters (no ANSI escapes), at most
 * `maxChars` characters. No markdown escaping.
 */
export function toPlainText(text: string, maxChars: number = DEFAULT_TEXT_CHARS): string {
  return truncateText(toSingleLine(text), maxChars);
}

/** Untrusted multi-line `text` for a terminal: its non-empty lines, cut to `maxChars` in all. */
export function toPlainLines(text: string, maxChars: number): string[] {
  return toLines(text, maxChars);
}

/** Cuts `text` to at most `maxChars` code points, ending with `…` when something was cut. */
export function truncateText(text: string, maxChars: number): string {
  const codePoints = Array.from(text);
  if (codePoints.length <= maxChars) return text;
  return `${codePoints
    .slice(0, Math.max(0, maxChars - 1))
    .join('')
    .trimEnd()}…`;
}

/**
 * A short commit id if `sha` looks like one (7+ hex digits), else `undefined`; callers then
 * escape the raw value instead of trusting it in code spans or chart labels.
 */
export function shortSha(sha: string | undefined): string | undefined {
  if (sha === undefined || !/^[0-9a-f]{7,64}$/i.test(sha)) return undefined;
  return sha.slice(0, 7).toLowerCase();
}

/** A commit for prose: a code span for a real sha, escaped text otherwise. */
export function formatSha(sha: string): string {
  const short = shortSha(sha);
  return short === undefined ? escapeMarkdown(sha, 40) : `\`${short}\``;
}

/**
 * A markdown link to `url`, or the escaped `text` alone when `url` is not plain http(s). The
 * target is percent-encoded where markdown would end it early.
 */
export function markdownLink(text: string, url: string): string {
  const label = escapeMarkdown(text);
  if (!/^https?:\/\/[^\s]+$/i.test(url)) return label;
  const target = url.replace(/[()<>"'\\[\]`|]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${label}](${target})`;
}

function escapeLine(line: string): string {
  // Neutralise before escaping, so the `#` of our own `&#124;` is left alone.
  return (
    line
      .replace(/@/g, `@${ZWJ}`)
      .replace(/#(?=\d)/g, `#${ZWJ}`)
      // GFM autolinks bare URLs; a server's text must not put a clickable link in our comment.
      .replace(/:\/\//g, `:${ZWJ}//`)
      .replace(/\bwww\./gi, (www) => `${www.slice(0, 3)}${ZWJ}.`)
      .replace(SPECIAL_CHARS, (char) => REPLACEMENTS[char] ?? char)
  );
}

function toLines(text: string, maxChars: number): string[] {
  const lines = text
    .split(/\r\n|\r|\n/)
    .map(toSingleLine)
    .filter((line) => line !== '');
  return truncateText(lines.join('\n'), maxChars).split('\n');
}

function toSingleLine(text: string): string {
  return text.replace(ANSI_SEQUENCES, '').replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
}
