/**
 * An API answer already serialized off the main thread (catalog/list at 100k
 * rows is 60 MB of JSON): serve mode sends its bytes inside the Result
 * envelope instead of running JSON.stringify on the thread that answers
 * every other request. Only handlers serving HTTP return one.
 */
import type { ServerResponse } from 'node:http'

export class PreparedJson {
  /** `bytes`: the UTF-8 JSON of the operation's result value. */
  constructor(readonly bytes: Uint8Array) {}
}

const OK_HEAD = Buffer.from('{"ok":true,"value":')
const OK_TAIL = Buffer.from('}')

/** The same answer `send(res, 200, JSON.stringify(ok(value)))` gives, without serializing here. */
export function sendPreparedJson(res: ServerResponse, body: PreparedJson): void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Content-Length': OK_HEAD.length + body.bytes.length + OK_TAIL.length,
    'Cache-Control': 'no-store'
  })
  res.write(OK_HEAD)
  res.write(body.bytes)
  res.end(OK_TAIL)
}
