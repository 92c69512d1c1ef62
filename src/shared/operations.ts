/**
 * Operation names, kept apart from the zod schemas so the sandboxed preload can
 * expose one function per operation without bundling the validators. Each
 * group is its contract file's; OPERATION_NAMES is all of them.
 */

/** The core: the app, the catalog, dataset import and export, jobs, settings, history, key frames, media, backups (schemas in contract.ts). */
export const CORE_OPERATION_NAMES = [
  'app/info',
  'catalog/list', 'catalog/get', 'catalog/update', 'catalog/stats',
  'dataset/import', 'dataset/exportCsv',
  'jobs/get',
  'settings/get', 'settings/setUserName',
  'history/list', 'history/status', 'history/undo', 'history/redo',
  'keyframes/list', 'keyframes/set', 'keyframes/remove',
  'media/playback', 'media/proxyQueue', 'media/relink',
  'backup/list', 'backup/create', 'backup/restore'
] as const
export type CoreOperationName = (typeof CORE_OPERATION_NAMES)[number]

/** Blinded multi-rater review (schemas in ratingsContract.ts) */
export const RATING_OPERATION_NAMES = [
  'raters/list', 'raters/create',
  'reviewSets/list', 'reviewSets/create', 'reviewSets/get', 'reviewSets/agreement',
  'rater/sets', 'rater/next', 'rater/clip', 'rater/submit',
  'adjudication/list', 'adjudication/setConsensus', 'adjudication/applyConsensus', 'adjudication/exportComments',
  'bundles/export', 'bundles/import'
] as const
export type RatingOperationName = (typeof RATING_OPERATION_NAMES)[number]

/** What a reader workstation answers; every other operation is refused there (readerContract.ts). */
export const READER_MODE_OPERATIONS = [
  'app/mode',
  'reader/study', 'reader/open', 'reader/submit', 'reader/playback', 'reader/keyFrames/set', 'reader/keyFrames/remove',
  'reader/exportRatings'
] as const
export type ReaderModeOperation = (typeof READER_MODE_OPERATIONS)[number]

/** Reader studies: the blinded reader workstation and the bundles that feed it (schemas in readerContract.ts) */
export const READER_OPERATION_NAMES = [...READER_MODE_OPERATIONS, 'reviewSets/exportReaderBundle', 'rater/keyFrames/set', 'rater/keyFrames/remove'] as const
export type ReaderOperationName = (typeof READER_OPERATION_NAMES)[number]

/** Contributor submissions (schemas in submissionContract.ts) */
export const SUBMISSION_OPERATION_NAMES = [
  'submission/importDicom', 'submission/job', 'submission/deidSummary', 'submission/edits/get', 'submission/edits/set',
  'submission/cropJson/import', 'submission/cropJson/export', 'submission/rebuild/butterfly', 'submission/rebuild/webVideos',
  'submission/bundle/validate', 'submission/bundle/export',
  'pacs/config/get', 'pacs/config/set', 'pacs/search', 'pacs/series', 'pacs/pull'
] as const
export type SubmissionOperationName = (typeof SUBMISSION_OPERATION_NAMES)[number]

/** The classifier (schemas in classifierContract.ts) */
export const CLASSIFIER_OPERATION_NAMES = [
  'classifier/modelInfo', 'classifier/modelCard', 'classifier/reloadModel', 'classifier/predictions', 'classifier/prediction',
  'classifier/summaries', 'classifier/prelabel', 'classifier/job', 'classifier/cancel', 'classifier/split',
  'classifier/leakageCheck'
] as const
export type ClassifierOperationName = (typeof CLASSIFIER_OPERATION_NAMES)[number]

/** Choosing files and folders: the app's dialogs, serve mode's folder browser (schemas in filesContract.ts) */
export const FILES_OPERATION_NAMES = ['files/chooseFolder', 'files/chooseFile', 'files/chooseSave', 'files/list'] as const
export type FilesOperationName = (typeof FILES_OPERATION_NAMES)[number]

export const OPERATION_NAMES = [
  ...CORE_OPERATION_NAMES,
  ...RATING_OPERATION_NAMES,
  ...READER_OPERATION_NAMES,
  ...SUBMISSION_OPERATION_NAMES,
  ...CLASSIFIER_OPERATION_NAMES,
  ...FILES_OPERATION_NAMES
] as const

export type OperationName = (typeof OPERATION_NAMES)[number]

/** The single IPC channel; the operation name travels as the first argument. */
export const IPC_CHANNEL = 'lus:invoke'

/**
 * Serve mode: the header in which API answers name the catalog's generation
 * (bumped by every restore) and pages send back the one they loaded; a page
 * from before a restore is refused (ids may now name other entries).
 */
export const CATALOG_GENERATION_HEADER = 'x-lus-catalog-generation'
export const CATALOG_REPLACED_MESSAGE = 'The catalog was replaced by a restore after this page was loaded; reload the page.'
