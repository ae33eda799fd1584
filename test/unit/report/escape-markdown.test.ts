import { describe, expect, it } from 'vitest';
import {
  escapeMarkdown,
  escapeMarkdownLines,
  formatSha,
  markdownLink,
  shortSha,
  toPlainLines,
  toPlainText,
  truncateText,
} from '../../../src/report/escape-markdown.js';

const ZWJ = '\u200D';

describe('escapeMarkdown', () => {
  it.each([
    ['a|b', 'a&#124;b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['Tom & Jerry', 'Tom &amp; Jerry'],
    ['*bold* _it_ `code` ~~del~~', '\\*bold\\* \\_it\\_ \\`code\\` \\~\\~del\\~\\~'],
    ['[link](http://x)', `\\[link\\](http:${ZWJ}//x)`],
    ['C:\\path', 'C:\\\\path'],
    ['$x^2$', '\\$x^2\\$'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('neutralises mentions, team mentions and e-mail-like text', () => {
    expect(escapeMarkdown('ask @org/team or @alice')).toBe(`ask @${ZWJ}org/team or @${ZWJ}alice`);
  });

  it('neutralises issue references but keeps its own entities intact', () => {
    expect(escapeMarkdown('see #12 | done')).toBe(`see #${ZWJ}12 &#124; done`);
  });

  it('stops bare URLs from autolinking', () => {
    expect(escapeMarkdown('https://evil.example and www.evil.example')).toBe(
      `https:${ZWJ}//evil.example and www${ZWJ}.evil.example`,
    );
  });

  it('makes one line and drops control and bidi characters', () => {
    expect(escapeMarkdown('a\nb\r\n\tc\u001b[31m \u202Ed\u001b')).toBe('a b c d');
  });

  it('truncates before escaping, so an entity is never cut', () => {
    const escaped = escapeMarkdown('<'.repeat(50), 10);
    expect(escaped).toBe(`${'&lt;'.repeat(9)}…`);
  });
});

describe('escapeMarkdownLines', () => {
  it('keeps line breaks as <br> and drops empty lines', () => {
    expect(escapeMarkdownLines('first <x>\n\n# second\n', 100)).toBe('first &lt;x&gt;<br># second');
  });

  it('caps the whole text, not each line', () => {
    // The line break counts as one character of the 9.
    expect(escapeMarkdownLines('abcdef\nghijkl', 9)).toBe('abcdef<br>g…');
  });
});

describe('plain text for the terminal', () => {
  it('strips ANSI escapes and keeps the words', () => {
    expect(toPlainText('\u001b[2J\u001b[1;31mboom\u001b[0m\u0007')).toBe('boom');
  });

  it('keeps lines, capped in total', () => {
    expect(toPlainLines('a\n\nb\nccc', 4)).toEqual(['a', 'b…']);
  });
});

describe('truncateText', () => {
  it('counts code points, so an emoji is never split', () => {
    expect(truncateText('🔴🔴🔴', 2)).toBe('🔴…');
    expect(truncateText('short', 10)).toBe('short');
  });
});

describe('shas and links', () => {
  it('shortens a hex sha and refuses anything else', () => {
    expect(shortSha('F541BECDF3F486BC9B994D72B788EF21486ED8E4')).toBe('f541bec');
    expect(shortSha('"];alert(1)//')).toBeUndefined();
    expect(formatSha('abc|def`')).toBe('abc&#124;def\\`');
    expect(formatSha('f541becdf3')).toBe('`f541bec`');
  });

  it('links only http(s) and encodes what would end the link early', () => {
    expect(markdownLink('run', 'https://x.example/a(b) c')).toBe('run');
    expect(markdownLink('run', 'https://x.example/a(b)')).toBe('[run](https://x.example/a%28b%29)');
    expect(markdownLink('run', 'javascript:alert(1)')).toBe('run');
  });
});
