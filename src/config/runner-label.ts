/**
 * The environment label a run is stored and compared under (docs/baseline-store.md): the
 * `runner-label` input, else the deprecated `TTG_LABEL` variable, else what the edge found
 * (runner name, or OS-arch on hosted runners). On a runner pool the runner name differs per
 * machine, so PRs would find no comparable runs; one label for the pool fixes that. Pure.
 */

/** The label and, when `TTG_LABEL` was involved, a warning for the log. */
export interface ResolvedLabel {
  readonly label: string;
  readonly warning?: string;
}

/**
 * @param configured the `runner-label` input, when given
 * @param fallback the label without the input (the Action's context label, which already
 *   prefers `TTG_LABEL`; the CLI passes `TTG_LABEL` or '')
 * @param ttgLabel the `TTG_LABEL` environment variable
 */
export function resolveRunnerLabel(
  configured: string | undefined,
  fallback: string,
  ttgLabel: string | undefined,
): ResolvedLabel {
  const isTtgSet = ttgLabel !== undefined && ttgLabel.trim() !== '';
  if (configured !== undefined) {
    return isTtgSet
      ? { label: configured, warning: `TTG_LABEL is ignored: the runner-label input '${configured}' is set` }
      : { label: configured };
  }
  if (isTtgSet) {
    return { label: fallback, warning: 'TTG_LABEL is deprecated: set the runner-label input instead (same meaning)' };
  }
  return { label: fallback };
}
