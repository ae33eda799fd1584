/**
 * The notes of the comparison and the run (baseline choice, environment mismatches, confirmation
 * results, ...), placed under the dps table: they qualify what the table shows. Untrusted text
 * (notes may quote labels and versions), so escaped and capped in number and length.
 */
import type { Comparison } from '../model/comparison.js';
import { escapeMarkdown } from './escape-markdown.js';
import { warnedNotes } from './render-fingerprint.js';
import { retriedNote } from './retried-note.js';

/** Most notes shown; each is capped too, so the section stays small whatever the notes say. */
const MAX_NOTES = 10;
const MAX_NOTE_CHARS = 300;
/** A model-state line says what is left and how to fix it: it gets more room. */
const MAX_STATE_CHARS = 800;

/** The notes as a list, or `undefined` when there are none. Duplicates are shown once. */
export function renderNotesSection(comparison: Comparison): string | undefined {
  // A not-like-for-like difference is the header's warning (render-fingerprint.ts): not twice.
  const warned = warnedNotes(comparison);
  const retried = retriedNote(comparison.run);
  const stateTexts = new Set((comparison.run.modelState ?? []).map((state) => state.text));
  const notes = [
    ...new Set([
      ...comparison.notes,
      ...(comparison.latency?.notes ?? []),
      ...comparison.run.notes,
      ...(retried === undefined ? [] : [retried]),
    ]),
  ].filter((note) => !warned.has(note) && !stateTexts.has(note));
  // How each model the run changed ended (docs/reliability.md, "Model-state journal"), first.
  const states = (comparison.run.modelState ?? []).map(
    (state) => `- ${state.status === 'not-restored' ? '⚠️' : '✅'} ${escapeMarkdown(state.text, MAX_STATE_CHARS)}`,
  );
  if (notes.length === 0 && states.length === 0) return undefined;
  const lines = [...states, ...notes.slice(0, MAX_NOTES).map((note) => `- ℹ️ ${escapeMarkdown(note, MAX_NOTE_CHARS)}`)];
  if (notes.length > MAX_NOTES) lines.push(`- ℹ️ … and ${notes.length - MAX_NOTES} more notes`);
  return lines.join('\n');
}
