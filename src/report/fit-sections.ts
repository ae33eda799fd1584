/**
 * Keeps a report under a size limit by dropping whole sections in a fixed order (docs/architecture.md#comparison-store-and-reports:
 * "by dropping detail, never by cutting mid-table"). GitHub rejects a comment body over 65,536
 * characters (bencher#644), so the limit is a hard invariant, not a hint.
 */

/** One section of a report, in output order. */
export interface ReportSection<Id extends string> {
  readonly id: Id;
  readonly markdown: string;
}

/** Result of {@link fitSections}. */
export interface FittedSections<DropId extends string> {
  /** The joined sections that were kept. */
  readonly markdown: string;
  /** Ids of the sections dropped, in the order they were dropped. */
  readonly dropped: readonly DropId[];
  /** False when even dropping every droppable section left `markdown` over the limit. */
  readonly fits: boolean;
}

/** Sections are separated by one blank line; the body ends with a newline. */
export function joinSections(sections: readonly ReportSection<string>[]): string {
  return `${sections.map((section) => section.markdown).join('\n\n')}\n`;
}

/**
 * Drops sections whose id is in `dropOrder`, first ones first, until the joined body has at most
 * `maxChars` UTF-16 code units (at least as strict as counting characters). Sections not in
 * `dropOrder` are always kept; a section is dropped only if needed.
 */
export function fitSections<Id extends string, DropId extends Id>(
  sections: readonly ReportSection<Id>[],
  dropOrder: readonly DropId[],
  maxChars: number,
): FittedSections<DropId> {
  let kept = [...sections];
  const dropped: DropId[] = [];
  let markdown = joinSections(kept);
  for (const id of dropOrder) {
    if (markdown.length <= maxChars) break;
    if (!kept.some((section) => section.id === id)) continue;
    kept = kept.filter((section) => section.id !== id);
    dropped.push(id);
    markdown = joinSections(kept);
  }
  return { markdown, dropped, fits: markdown.length <= maxChars };
}
