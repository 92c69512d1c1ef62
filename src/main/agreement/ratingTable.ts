/**
 * Ratings as an item × rater table of category codes, the form every
 * agreement statistic reads. Built from long-format (item, rater, value)
 * triples, as the CLI reads them and as review sets store them.
 */

export interface RatingTriple {
  item: string
  rater: string
  value: string
}

export interface RatingTable {
  items: string[]
  raters: string[]
  categories: string[]
  /** codes[i][r]: index into categories of rater r's rating of item i, or -1 when r did not rate i. */
  codes: Int32Array[]
}

const collator = new Intl.Collator('en', { numeric: true })

/**
 * Items and raters keep their first-seen order. Categories are the given
 * vocabulary (so unused categories still get a row in confusion matrices)
 * followed by any other values seen, sorted.
 */
export function buildRatingTable(
  triples: readonly RatingTriple[],
  options: { categories?: readonly string[]; raters?: readonly string[] } = {}
): RatingTable {
  const itemIndex = new Map<string, number>()
  const raterIndex = new Map<string, number>()
  for (const r of options.raters ?? []) if (!raterIndex.has(r)) raterIndex.set(r, raterIndex.size)
  const seen = new Set<string>()
  for (const t of triples) {
    if (!itemIndex.has(t.item)) itemIndex.set(t.item, itemIndex.size)
    if (!raterIndex.has(t.rater)) raterIndex.set(t.rater, raterIndex.size)
    seen.add(t.value)
  }
  const given = [...(options.categories ?? [])]
  const extra = [...seen].filter((v) => !given.includes(v)).sort(collator.compare)
  const categories = [...given, ...extra]
  const categoryIndex = new Map(categories.map((c, i) => [c, i]))
  const codes = Array.from({ length: itemIndex.size }, () => new Int32Array(raterIndex.size).fill(-1))
  for (const t of triples) {
    const row = codes[itemIndex.get(t.item)!]!
    const r = raterIndex.get(t.rater)!
    const code = categoryIndex.get(t.value)!
    if (row[r] !== -1 && row[r] !== code)
      throw new Error(`rater ${t.rater} rated item ${t.item} twice with different values`)
    row[r] = code
  }
  return { items: [...itemIndex.keys()], raters: [...raterIndex.keys()], categories, codes }
}
