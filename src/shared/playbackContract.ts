/**
 * What media/playback answers: how a clip plays and where it stands. Its own
 * module so that the reader's contract (readerContract.ts) can derive its
 * playback answer from it without importing the whole contract.
 */
import { z } from 'zod'

export const playbackSchema = z.object({
  mediaId: z.number().int().positive(),
  /**
   * ready: play `source`; preparing: a proxy is being made (see progress);
   * failed: no playable form (see error); missing: the file is gone;
   * changed: the file differs from the one imported (content hash).
   */
  state: z.enum(['ready', 'preparing', 'failed', 'missing', 'changed']),
  /** original: the file plays as is; proxy: a transcoded copy; image: a still. */
  source: z.enum(['original', 'proxy', 'image']),
  /** Presentation time (s) of each frame of what is played, in order; frame i is frameTimes[i]. */
  frameTimes: z.array(z.number()),
  frameCount: z.number().int().nonnegative(),
  fps: z.number().nullable(),
  width: z.number().int().nullable(),
  height: z.number().int().nullable(),
  durationS: z.number().nullable(),
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable()
})
export type Playback = z.infer<typeof playbackSchema>
