/** Typed calls to the submission and PACS operations (src/shared/submissionContract.ts), through the shared API. */
import type { OpArgs, OpResult } from '../../../../shared/contract'
import type { Result } from '../../../../shared/result'
import type { SubmissionOperationName } from '../../../../shared/submissionContract'
import { useApi } from '../../api'

export type SubArgs<K extends SubmissionOperationName> = OpArgs<K>
export type SubResult<K extends SubmissionOperationName> = OpResult<K>

export function callSubmission<K extends SubmissionOperationName>(name: K, args: SubArgs<K>): Promise<Result<SubResult<K>>> {
  const op = useApi()[name] as (args: SubArgs<K>) => Promise<Result<SubResult<K>>>
  return op(args)
}
