/**
 * A DICOMweb client for what a contribution needs (PS3.18): QIDO-RS search
 * of studies, series and instances, and WADO-RS retrieval of instances as
 * multipart/related. Every failure is a message a user can act on: the
 * server cannot be reached, refused the login, has no DICOMweb service at
 * that path, or answered an error.
 */
import { UserError } from '../../errors'
import type { PacsCredentials } from './pacsConfig'
import { parseMultipart } from './multipart'

/** A WADO-RS answer is one DICOM file; the import refuses files over this anyway. */
export const MAX_INSTANCE_BYTES = 2 * 1024 ** 3

type DicomJson = Record<string, { vr?: string; Value?: unknown[] }>

export interface StudyHit {
  studyUid: string
  date: string | null
  description: string | null
  modalities: string[]
  patientName: string | null
  patientId: string | null
  seriesCount: number | null
  instanceCount: number | null
}

export interface SeriesHit {
  seriesUid: string
  modality: string | null
  description: string | null
  number: number | null
  instanceCount: number | null
}

export interface StudyQuery {
  patientId?: string
  patientName?: string
  dateFrom?: string
  dateTo?: string
  modality?: string
  limit?: number
}

function first(j: DicomJson, tag: string): unknown {
  return j[tag]?.Value?.[0]
}
function str(j: DicomJson, tag: string): string | null {
  const v = first(j, tag)
  if (v === undefined || v === null) return null
  if (typeof v === 'object' && 'Alphabetic' in (v as object)) return String((v as { Alphabetic: unknown }).Alphabetic)
  return String(v)
}
function num(j: DicomJson, tag: string): number | null {
  const v = Number(first(j, tag))
  return Number.isFinite(v) ? v : null
}

/** Describes a network failure by its cause, not fetch's generic "fetch failed". */
function networkMessage(e: unknown, origin: string, timeoutMs: number): string {
  const err = e as Error & { cause?: { code?: string; message?: string } }
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `The PACS at ${origin} did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}.`
  const code = err.cause?.code ?? ''
  const why: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused (is the server running, and is the port right?)',
    ENOTFOUND: 'the host name is unknown',
    EAI_AGAIN: 'the host name cannot be resolved right now',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    ECONNRESET: 'the connection was reset',
    ETIMEDOUT: 'the connection timed out',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired'
  }
  return `The PACS at ${origin} cannot be reached: ${why[code] ?? err.cause?.message ?? err.message}.`
}

export class DicomWebClient {
  private readonly base: string
  private readonly origin: string

  constructor(
    private readonly cfg: PacsCredentials,
    private readonly timeoutMs = 30_000
  ) {
    this.base = cfg.url.replace(/\/+$/, '')
    this.origin = new URL(this.base).origin
  }

  private headers(accept: string): Record<string, string> {
    const h: Record<string, string> = { Accept: accept }
    if (this.cfg.username !== null) h.Authorization = `Basic ${Buffer.from(`${this.cfg.username}:${this.cfg.password ?? ''}`).toString('base64')}`
    return h
  }

  private async get(path: string, accept: string): Promise<Response> {
    let res: Response
    try {
      res = await fetch(`${this.base}${path}`, { headers: this.headers(accept), signal: AbortSignal.timeout(this.timeoutMs), redirect: 'error' })
    } catch (e) {
      throw new UserError('bad_input', networkMessage(e, this.origin, this.timeoutMs))
    }
    if (res.ok) return res
    const text = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 200)
    const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`
    if (res.status === 401 || res.status === 403)
      throw new UserError('bad_input', `The PACS at ${this.origin} refused ${this.cfg.username === null ? 'access without a login' : `the login of "${this.cfg.username}"`} (${status}). Check the user name and password.`)
    if (res.status === 404)
      throw new UserError('bad_input', `The PACS at ${this.origin} has no DICOMweb resource at ${this.base}${path.split('?')[0]} (${status}). Check the base URL (e.g. …/dicom-web) or whether the study still exists.`)
    throw new UserError('bad_input', `The PACS at ${this.origin} answered ${status}${text ? `: ${text}` : ''}.`)
  }

  private async json(path: string): Promise<DicomJson[]> {
    const res = await this.get(path, 'application/dicom+json, application/json')
    if (res.status === 204) return []
    const text = await res.text()
    if (text.trim() === '') return []
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new UserError('bad_input', `The PACS at ${this.origin} answered a search with something that is not DICOM JSON (${res.headers.get('content-type') ?? 'no content type'}).`)
    }
    if (!Array.isArray(parsed)) throw new UserError('bad_input', `The PACS at ${this.origin} answered a search with JSON that is not a list of results.`)
    return parsed as DicomJson[]
  }

  async searchStudies(q: StudyQuery): Promise<StudyHit[]> {
    const p = new URLSearchParams()
    if (q.patientId) p.set('PatientID', q.patientId)
    if (q.patientName) p.set('PatientName', q.patientName)
    if (q.dateFrom || q.dateTo) p.set('StudyDate', `${q.dateFrom ?? ''}-${q.dateTo ?? ''}`)
    p.set('ModalitiesInStudy', q.modality ?? 'US')
    p.set('limit', String(q.limit ?? 100))
    for (const f of ['00081030', '00201206', '00201208', '00080061']) p.append('includefield', f)
    const rows = await this.json(`/studies?${p.toString()}`)
    return rows
      .map((r) => ({
        studyUid: str(r, '0020000D') ?? '',
        date: str(r, '00080020'),
        description: str(r, '00081030'),
        modalities: (r['00080061']?.Value ?? []).map(String),
        patientName: str(r, '00100010'),
        patientId: str(r, '00100020'),
        seriesCount: num(r, '00201206'),
        instanceCount: num(r, '00201208')
      }))
      .filter((s) => s.studyUid !== '')
  }

  async searchSeries(studyUid: string): Promise<SeriesHit[]> {
    const rows = await this.json(`/studies/${encodeURIComponent(studyUid)}/series?includefield=00201209&includefield=0008103E`)
    return rows
      .map((r) => ({
        seriesUid: str(r, '0020000E') ?? '',
        modality: str(r, '00080060'),
        description: str(r, '0008103E'),
        number: num(r, '00200011'),
        instanceCount: num(r, '00201209')
      }))
      .filter((s) => s.seriesUid !== '')
  }

  async searchInstances(studyUid: string, seriesUid: string): Promise<string[]> {
    const rows = await this.json(`/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/instances`)
    return rows.map((r) => str(r, '00080018') ?? '').filter((u) => u !== '')
  }

  /** One instance as a DICOM file, in the syntax the PACS stores (or Explicit VR Little Endian if it insists). */
  async retrieveInstance(studyUid: string, seriesUid: string, sopUid: string): Promise<Buffer> {
    const path = `/studies/${encodeURIComponent(studyUid)}/series/${encodeURIComponent(seriesUid)}/instances/${encodeURIComponent(sopUid)}`
    let res: Response
    try {
      res = await this.get(path, 'multipart/related; type="application/dicom"; transfer-syntax=*')
    } catch (e) {
      // Servers that cannot offer "any syntax" answer 406; the default (Explicit VR Little Endian) always works.
      if (!(e instanceof UserError) || !/HTTP 406/.test(e.message)) throw e
      res = await this.get(path, 'multipart/related; type="application/dicom"')
    }
    const length = Number(res.headers.get('content-length') ?? 0)
    if (length > MAX_INSTANCE_BYTES) throw new UserError('bad_input', `The instance is ${(length / 1024 ** 3).toFixed(1)} GB, over the 2 GB a DICOM import reads.`)
    const body = Buffer.from(await res.arrayBuffer())
    const parts = parseMultipart(body, res.headers.get('content-type') ?? '')
    const dicom = parts.find((p) => (p.headers['content-type'] ?? 'application/dicom').toLowerCase().startsWith('application/dicom'))
    if (!dicom) throw new UserError('bad_input', `The PACS answered the retrieval of an instance with no application/dicom part.`)
    return dicom.body
  }
}
