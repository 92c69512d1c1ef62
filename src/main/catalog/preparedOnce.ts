/**
 * A statement prepared on first use and kept for the connection's life. The
 * table classes prepare lazily because not every caller uses every statement,
 * and a catalog opened with an older migration list (tests of migrations,
 * backups) lacks columns that statements it never runs would name.
 */
export function preparedOnce<T>(prepare: () => T): () => T {
  let statement: T | undefined
  return () => (statement ??= prepare())
}
