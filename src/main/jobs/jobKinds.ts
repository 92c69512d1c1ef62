/**
 * The kinds of long job, as the contract names them, and how a message names
 * one that is running. The order is the order a restore's refusal names them
 * in when several run at once.
 */
import type { ClassifierJob } from '../../shared/classifierContract'
import type { Job } from '../../shared/contract'
import type { SubmissionJob } from '../../shared/submissionContract'

export type ImportJobKind = Job['kind']
export type SubmissionJobKind = SubmissionJob['kind']
export type ClassifierJobKind = ClassifierJob['kind']
export type JobKind = ImportJobKind | SubmissionJobKind | ClassifierJobKind

export const SUBMISSION_JOB_KINDS: readonly SubmissionJobKind[] = ['dicom-import', 'pacs-pull', 'butterfly', 'web-videos', 'bundle']
export const CLASSIFIER_JOB_KINDS: readonly ClassifierJobKind[] = ['prelabel', 'leakage']

const PHRASES = {
  import: 'An import',
  prelabel: 'A pre-labelling run',
  leakage: 'A leakage check',
  'dicom-import': 'A DICOM import',
  'pacs-pull': 'A PACS retrieval',
  butterfly: 'A Butterfly rebuild',
  'web-videos': 'A web-video rebuild',
  bundle: 'A submission bundle export'
} as const satisfies Record<JobKind, string>

export const JOB_PHRASES: Readonly<Record<JobKind, string>> = PHRASES
export const JOB_KINDS = Object.keys(PHRASES) as JobKind[]
