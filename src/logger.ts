/**
 * The logger every I/O step receives (pure steps return notes instead). The CLI writes to
 * stderr, the Action to `@actions/core`; tests collect lines.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /**
   * Detail for someone debugging the runner (the Action's debug log, shown with step debug
   * logging on); optional, so loggers that have no such channel drop it.
   */
  debug?(message: string): void;
}

/** A logger that drops everything (for tests and `--quiet`). */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
};
