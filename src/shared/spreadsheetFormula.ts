/**
 * Which cells a spreadsheet would run as a formula, and how to make it show
 * them as text instead. Shared because every CSV the project writes (the
 * dataset export in main, the agreement report built in the renderer) must
 * neutralise exactly the same cells.
 */
/**
 * Spaces a spreadsheet may trim before it reads a formula: every Unicode
 * space (`\s` covers NBSP, U+2000–U+200A, U+3000 and the BOM) and the
 * zero-width ones `\s` leaves out.
 */
const LEADING_SPACES = /^[\s\u180e\u200b-\u200d\u2060]+/u
/** Formula starts, ASCII and fullwidth (spreadsheets in CJK locales read ＝ ＋ ＠ as = + @). */
const FORMULA_START = /^[=+@\uff1d\uff0b\uff20]/u
/** A minus sign alone, or before a plain number, is data; before anything else it may start a formula. */
const MINUS = /^[-\uff0d]/u
const PLAIN_NEGATIVE = /^[-\uff0d](\d+([.,]\d+)?)?$/u

/**
 * A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+cmd|…`,
 * `@SUM(…)`, `-2+3+cmd|…`, a leading tab or CR), also behind leading spaces
 * (` =1+1`, NBSP) and in fullwidth forms (`＝1+1`). Plain negative numbers are data.
 */
export function isFormulaLike(cell: string): boolean {
  if (/^[\t\r]/.test(cell)) return true
  const rest = cell.replace(LEADING_SPACES, '')
  if (FORMULA_START.test(rest)) return true
  return MINUS.test(rest) && !PLAIN_NEGATIVE.test(rest)
}

/** Prefixing a quote makes spreadsheets show the text instead of evaluating it (OWASP CSV injection). */
export const neutralizeFormula = (cell: string): string => (isFormulaLike(cell) ? `'${cell}` : cell)
