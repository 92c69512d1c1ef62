/**
 * The file each clip of a set plays from in the catalog app — the original
 * where Chromium plays it, else the playback proxy, made now if it is not
 * cached yet — with the frame times the catalog's player shows. A reader
 * bundle copies exactly these frames, so a key frame a rater marks in the
 * reader is the same frame the coordinator sees.
 *
 * Every clip must have readable media: a reader cannot rate what is not in
 * the bundle. Problems are listed all at once, by clip number and file name
 * (the coordinator may see file names; raters never see these messages).
 */
import { basename } from 'node:path'
import type { CatalogRepository } from '../../catalog/catalogRepository'
import { UserError } from '../../errors'
import type { PlaybackService } from '../../media/playbackService'
import type { SetDefinition, SetItem } from '../reviewSetStore'

export interface PlayableClip {
  clipNo: number
  /** For the coordinator's messages only; never written into a bundle. */
  name: string
  kind: 'video' | 'image'
  file: string
  /** The played file is a transcoded proxy (a format the browser cannot play). */
  fromProxy: boolean
  frameTimes: number[]
}

interface Located {
  item: SetItem
  name: string
  mediaId: number
  kind: 'video' | 'image'
}

function refuse(def: SetDefinition, total: number, problems: readonly string[]): UserError {
  return new UserError(
    'bad_input',
    `Review set "${def.name}" cannot be exported as a reader bundle: ${problems.length} of its ${total} clips have no readable media here. ` +
      'Relink or restore them, or make a set without them (leave out clips without media). ' +
      problems.join('; ') +
      '.'
  )
}

/** In clip-number order. */
export async function playableClips(
  def: SetDefinition,
  items: readonly SetItem[],
  repository: CatalogRepository,
  playback: PlaybackService
): Promise<PlayableClip[]> {
  const ordered = [...items].sort((a, b) => a.clipNo - b.clipNo)
  // First what the catalog already knows, so a set full of missing files is refused before any transcoding starts.
  const problems: string[] = []
  const located: Located[] = []
  for (const item of ordered) {
    const detail = repository.get(item.entryId)
    const name = detail.media ? basename(detail.media.relPath) : detail.summary.filename
    const { mediaId, mediaStatus } = detail.summary
    if (mediaId === null || detail.media === null || mediaStatus === 'missing') problems.push(`Clip ${item.clipNo} (${name}): no media file here`)
    else if (mediaStatus === 'unreadable')
      problems.push(`Clip ${item.clipNo} (${name}): the media file cannot be read${detail.media.error ? ` (${detail.media.error})` : ''}`)
    else located.push({ item, name, mediaId, kind: detail.media.kind })
  }
  if (problems.length > 0) throw refuse(def, ordered.length, problems)

  // The playback service's queue bounds how many ffmpeg jobs run at once.
  const prepared = await Promise.all(located.map(async (c) => ({ c, playback: await playback.prepare(c.mediaId) })))
  const clips: PlayableClip[] = []
  for (const { c, playback: p } of prepared) {
    if (p.state !== 'ready') {
      problems.push(`Clip ${c.item.clipNo} (${c.name}): ${(p.error ?? `its media file is ${p.state}`).replace(/\.$/, '')}`)
      continue
    }
    clips.push({
      clipNo: c.item.clipNo,
      name: c.name,
      kind: c.kind,
      file: playback.playbackFile(c.mediaId),
      fromProxy: p.source === 'proxy',
      frameTimes: p.frameTimes
    })
  }
  if (problems.length > 0) throw refuse(def, ordered.length, problems)
  return clips
}
