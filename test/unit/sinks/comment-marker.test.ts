import { describe, expect, it } from 'vitest';
import {
  COMMENT_MAX_CHARS,
  commentMarker,
  commentOverheadChars,
  composeCommentBody,
  encodeMarkerKey,
  hasMarker,
  readCommentState,
  resultStateOf,
} from '../../../src/sinks/comment-marker.js';
import { pipelineResult, withVerdicts } from '../github/github-fixtures.js';

describe('commentMarker', () => {
  it('is one hidden HTML comment naming the benchmark key', () => {
    expect(commentMarker('pr', 'resnet50')).toBe('<!-- triton-throughput-gate:resnet50 -->');
    expect(commentMarker('trend', 'resnet50')).toBe('<!-- triton-throughput-gate-trend:resnet50 -->');
  });

  it.each([
    ['a key that would close the comment', 'x --> <b>owned</b>'],
    ['a double dash', 'model--v2'],
    ['a newline', 'a\nb'],
    ['markdown and HTML', '<script>alert(1)</script> **bold** `code`'],
    ['a mention', '@org/team'],
    ['non-ASCII', 'модель-ü-🚀'],
  ])('escapes %s so the marker stays one intact comment', (_what, key) => {
    const marker = commentMarker('pr', key);
    expect(marker).toMatch(/^<!-- triton-throughput-gate:[A-Za-z0-9_.%]+ -->$/);
    expect(marker.slice(4, -3)).not.toContain('--');
    expect(decodeURIComponent(encodeMarkerKey(key))).toBe(key);
  });

  it('gives different keys different markers, none a prefix match of another', () => {
    const keys = ['a', 'ab', 'a b', 'a%20b', 'A', 'a-b', 'a_b', 'a.b'];
    const markers = keys.map((key) => commentMarker('pr', key));
    expect(new Set(markers).size).toBe(keys.length);
    for (const marker of markers) {
      expect(markers.filter((other) => hasMarker(`${other}\nbody`, marker))).toEqual([marker]);
    }
  });

  it('hashes keys too long for a short marker, and keys that cannot be percent-encoded', () => {
    expect(encodeMarkerKey('k'.repeat(500))).toMatch(/^sha256\.[0-9a-f]{64}$/);
    expect(encodeMarkerKey('bad \ud800 surrogate')).toMatch(/^sha256\.[0-9a-f]{64}$/);
    expect(encodeMarkerKey('k'.repeat(500))).not.toBe(encodeMarkerKey('k'.repeat(501)));
  });
});

describe('hasMarker', () => {
  const marker = commentMarker('pr', 'demo');

  it('matches only a first line that is the marker', () => {
    expect(hasMarker(`${marker}\n### report`, marker)).toBe(true);
    expect(hasMarker(`${marker}\r\n### report`, marker)).toBe(true);
    expect(hasMarker(`> quoting the bot:\n> ${marker}`, marker)).toBe(false);
    expect(hasMarker(`LGTM ${marker}`, marker)).toBe(false);
    expect(hasMarker(commentMarker('trend', 'demo'), marker)).toBe(false);
    expect(hasMarker(null, marker)).toBe(false);
    expect(hasMarker(undefined, marker)).toBe(false);
  });
});

describe('resultStateOf and readCommentState', () => {
  it('round-trips through a composed body', () => {
    const result = pipelineResult('typical');
    const state = resultStateOf(result);
    expect(state).toMatch(/^[0-9a-f]{16}$/);
    const body = composeCommentBody(commentMarker('pr', 'demo'), state, result.report.markdown);
    expect(readCommentState(body)).toBe(state);
    expect(body.endsWith(result.report.markdown)).toBe(true);
  });

  it('depends on the verdicts, not on the numbers', () => {
    const result = pipelineResult('typical');
    const faster = {
      ...result,
      comparison: { ...result.comparison, cells: result.comparison.cells.map((cell) => ({ ...cell, delta: 0.5 })) },
    };
    expect(resultStateOf(faster)).toBe(resultStateOf(result));
    expect(resultStateOf(withVerdicts(result, 'unchanged'))).not.toBe(resultStateOf(result));
    expect(resultStateOf({ ...result, gate: { ...result.gate, shouldFail: false } })).not.toBe(resultStateOf(result));
  });

  it('reads nothing from a body without a state line', () => {
    expect(readCommentState('<!-- triton-throughput-gate:demo -->\nold comment')).toBeUndefined();
    expect(readCommentState(null)).toBeUndefined();
  });

  it('counts its overhead so a 65,000-character report still fits', () => {
    const marker = commentMarker('pr', 'k'.repeat(500));
    expect(commentOverheadChars(marker)).toBe(composeCommentBody(marker, '0'.repeat(16), '').length);
    expect(65_000 + commentOverheadChars(marker)).toBeLessThanOrEqual(COMMENT_MAX_CHARS);
  });
});
