/**
 * Calls the serve-mode API from the test process (not the page), with the
 * token from the served URL: for facts the UI does not print (a clip's frame
 * times) and for setting up state the test is not about.
 */
import type { OpArgs, OpResult } from '../../../src/shared/contract'
import type { OperationName } from '../../../src/shared/operations'
import type { ServeInstance } from './serveProcess'

export async function callApi<K extends OperationName>(server: ServeInstance, op: K, args: OpArgs<K>): Promise<OpResult<K>> {
  const url = new URL(server.url)
  const token = url.searchParams.get('token') ?? ''
  const response = await fetch(`${url.origin}/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(args)
  })
  const body = (await response.json()) as { ok: true; value: OpResult<K> } | { ok: false; error: { code: string; message: string } }
  if (!body.ok) throw new Error(`${op} failed: ${body.error.code}: ${body.error.message}`)
  return body.value
}

/** The catalog entry of a CSV filename (file-name stem). */
export async function entryByFilename(server: ServeInstance, filename: string) {
  const { entries } = await callApi(server, 'catalog/list', {})
  const entry = entries.find((e) => e.filename === filename)
  if (!entry) throw new Error(`${filename} is not in the catalog`)
  return entry
}
