/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in the
 * items' order: how the import probes files and the leakage check hashes
 * clips, a few ffmpeg or ffprobe processes at a time rather than all at once.
 * A rejection rejects the whole; the calls already started still finish.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}
