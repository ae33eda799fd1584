/**
 * What a GitHub comment must not contain when user- or server-controlled text went into it
 * (docs/architecture.md#comparison-store-and-reports), checked on the markdown as `marked` parses it (GFM): no HTML but the report's
 * own few tags, no links or images, no @-mention, no table whose rows were split by a `|`.
 * GitHub's renderer is not `marked`, so this is a necessary check, not a proof; the escaping
 * itself is unit-tested against GitHub's rules (test/unit/report/escape-markdown.test.ts).
 */
import { marked, type Token, type Tokens } from 'marked';

/** HTML the report writes itself: line breaks and collapsed sections, nothing with attributes. */
const OWN_HTML = /^<\/?(br|details|summary)>$/;

/** Everything that would make the markdown live. Empty means inert. */
export interface LiveMarkup {
  readonly html: string[];
  readonly links: string[];
  readonly images: string[];
  readonly mentions: string[];
  readonly brokenTables: string[];
}

function walk(tokens: readonly Token[] | undefined, visit: (token: Token) => void): void {
  for (const token of tokens ?? []) {
    visit(token);
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      for (const cell of [...table.header, ...table.rows.flat()]) walk(cell.tokens, visit);
    } else if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) walk(item.tokens, visit);
    }
    if ('tokens' in token) walk(token.tokens, visit);
  }
}

/** The live parts of `markdown` (`allowedLinks`: hrefs the report may link, e.g. the run URL). */
export function findLiveMarkup(markdown: string, allowedLinks: readonly string[] = []): LiveMarkup {
  const found: LiveMarkup = { html: [], links: [], images: [], mentions: [], brokenTables: [] };
  walk(marked.lexer(markdown), (token) => {
    if (token.type === 'html') {
      // A block of HTML may hold several tags; each must be one of ours.
      for (const tag of (token as Tokens.HTML).raw.match(/<[^>]*>/g) ?? [])
        if (!OWN_HTML.test(tag)) found.html.push(tag);
    } else if (token.type === 'link' && !allowedLinks.includes((token as Tokens.Link).href)) {
      found.links.push((token as Tokens.Link).href);
    } else if (token.type === 'image') {
      found.images.push((token as Tokens.Image).href);
    } else if (token.type === 'text') {
      // GitHub links `@name` and `@org/team` in text (not in code); the escaper puts a ZWJ after `@`.
      for (const mention of (token as Tokens.Text).text.match(/(^|[^\w\u200d])@[A-Za-z0-9][\w-]*(\/[\w-]+)?/g) ?? []) {
        found.mentions.push(mention.trim());
      }
    } else if (token.type === 'table') {
      // marked pads or cuts rows to the header's width, so count the cell separators in the source.
      const lines = token.raw.trim().split('\n');
      const separators = lines.map((line) => (line.match(/(?<!\\)\|/g) ?? []).length);
      lines.forEach((line, i) => {
        if (separators[i] !== separators[0]) found.brokenTables.push(line);
      });
    }
  });
  return found;
}

/** `findLiveMarkup` with nothing found, for `expect(...).toEqual(INERT)`. */
export const INERT: LiveMarkup = { html: [], links: [], images: [], mentions: [], brokenTables: [] };
