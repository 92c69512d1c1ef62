/**
 * Operation names, kept apart from the zod schemas so the sandboxed preload can
 * expose one function per operation without bundling the validators.
 */
export const OPERATION_NAMES = [
  'app/info',
  'catalog/list',
  'catalog/get',
  'catalog/update',
  'catalog/stats',
  'dataset/import',
  'dataset/exportCsv',
  'jobs/get',
  'settings/get',
  'settings/setUserName',
  'history/list',
  'history/status',
  'history/undo',
  'history/redo',
  'keyframes/list',
  'keyframes/set',
  'keyframes/remove',
  'media/playback',
  'media/proxyQueue',
  'media/relink',
  'backup/list',
  'backup/create',
  'backup/restore',
  // Blinded multi-rater review (schemas in ratingsContract.ts)
  'raters/list',
  'raters/create',
  'reviewSets/list',
  'reviewSets/create',
  'reviewSets/get',
  'reviewSets/agreement',
  'rater/sets',
  'rater/next',
  'rater/clip',
  'rater/submit',
  'adjudication/list',
  'adjudication/setConsensus',
  'adjudication/applyConsensus',
  'adjudication/exportComments',
  'bundles/export',
  'bundles/import',
  // Reader studies: the blinded reader workstation and the bundles that feed it (schemas in readerContract.ts)
  'app/mode',
  'reader/study',
  'reader/open',
  'reader/submit',
  'reader/playback',
  'reader/keyFrames/set',
  'reader/keyFrames/remove',
  'reader/exportRatings',
  'reviewSets/exportReaderBundle',
  'rater/keyFrames/set',
  'rater/keyFrames/remove',
  // Contributor submissions (schemas in submissionContract.ts)
  'submission/importDicom',
  'submission/job',
  'submission/deidSummary',
  'submission/edits/get',
  'submission/edits/set',
  'submission/cropJson/import',
  'submission/cropJson/export',
  'submission/rebuild/butterfly',
  'submission/rebuild/webVideos',
  'submission/bundle/validate',
  'submission/bundle/export',
  'pacs/config/get',
  'pacs/config/set',
  'pacs/search',
  'pacs/series',
  'pacs/pull',
  // The classifier (schemas in classifierContract.ts)
  'classifier/modelInfo',
  'classifier/modelCard',
  'classifier/reloadModel',
  'classifier/predictions',
  'classifier/prediction',
  'classifier/summaries',
  'classifier/prelabel',
  'classifier/job',
  'classifier/cancel',
  'classifier/split',
  'classifier/leakageCheck',
  // Choosing files and folders: the app's dialogs, serve mode's folder browser (schemas in filesContract.ts)
  'files/chooseFolder',
  'files/chooseFile',
  'files/chooseSave',
  'files/list'
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
