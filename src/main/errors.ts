import type { ErrorCode } from '../shared/result'

/** An error whose message is written for the user and may cross the API boundary as is. */
export class UserError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'UserError'
  }
}
