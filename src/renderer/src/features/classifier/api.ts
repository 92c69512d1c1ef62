/** Typed calls to the classifier/* operations (src/shared/classifierContract.ts), through the shared API. */
import type { ClassifierOperationName } from '../../../../shared/classifierContract'
import type { OpArgs, OpResult } from '../../../../shared/contract'
import type { Result } from '../../../../shared/result'
import { useApi } from '../../api'

export type ClassifierArgs<K extends ClassifierOperationName> = OpArgs<K>
export type ClassifierResult<K extends ClassifierOperationName> = OpResult<K>

export function callClassifier<K extends ClassifierOperationName>(name: K, args: ClassifierArgs<K>): Promise<Result<ClassifierResult<K>>> {
  const op = useApi()[name] as (args: ClassifierArgs<K>) => Promise<Result<ClassifierResult<K>>>
  return op(args)
}
