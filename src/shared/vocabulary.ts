/**
 * Vocabularies of the public COVID-19 LUS dataset (`dataset_metadata.csv`).
 * The CSV spellings are the dataset's own; the keys are what the app stores.
 */

/* Pathology and symptom flags: one CSV column each, listed here and spread into CSV_COLUMNS below. */
export const PATHOLOGIES = [
  'Effusion',
  'Consolidations',
  'B-lines',
  'A-lines',
  'Pleural line irregularities',
  'Air bronchogram',
  'Healthy'
] as const
export type Pathology = (typeof PATHOLOGIES)[number]
/** CSV: `1` present, `0` absent, empty not assessed. */
export const PATHOLOGY_STATES = ['present', 'absent', 'not_assessed'] as const
export type PathologyState = (typeof PATHOLOGY_STATES)[number]

export const SYMPTOMS = [
  'Fever',
  'Cough',
  'Respiratory problems',
  'Headache',
  'Loss of smell/taste',
  'Fatigue',
  'Sore throat',
  'Asymptomatic'
] as const
export type Symptom = (typeof SYMPTOMS)[number]
/** CSV: `1` yes, `0` no, `n/A` (or empty) not available. */
export const SYMPTOM_STATES = ['yes', 'no', 'n/A'] as const
export type SymptomState = (typeof SYMPTOM_STATES)[number]

/** The 44 headers of `dataset_metadata.csv`, in file order (one is empty-named). */
export const CSV_COLUMNS = [
  'Date added',
  'Current location',
  'Filename',
  'URL (Video Name)',
  'Label',
  'License',
  'LinkToLicense',
  'ChangesMade',
  'InThisRepo',
  'Type',
  'Probe',
  'DOI',
  'Source ID',
  'Comments from web site',
  'Title',
  'Comments first medical doctor (MD1)',
  'MD2',
  'MD3',
  'Framerate',
  'Resolution',
  'Length (frames)',
  'Gender',
  'Age',
  'Patient ID / Name',
  'Lung /abdomen interface',
  'Preconditions / Comments about patient',
  'Area according to DEGUM',
  '',
  ...PATHOLOGIES,
  ...SYMPTOMS,
  'Other'
] as const

export type CsvColumn = (typeof CSV_COLUMNS)[number]

export const LABELS = ['covid', 'bacterial_pneumonia', 'viral_pneumonia', 'healthy', 'other'] as const
export type Label = (typeof LABELS)[number]

/** How each label is displayed, and how it is spelled in the CSV when the app writes it. */
export const LABEL_INFO: Record<Label, { display: string; csv: string }> = {
  covid: { display: 'COVID-19', csv: 'COVID-19' },
  bacterial_pneumonia: { display: 'Bacterial pneumonia', csv: 'Bacterial pneumonia' },
  viral_pneumonia: { display: 'Viral pneumonia', csv: 'Viral pneumonia' },
  healthy: { display: 'Healthy', csv: 'regular' },
  other: { display: 'Other', csv: 'Other' }
}

export const PROBES = ['convex', 'linear'] as const
export type Probe = (typeof PROBES)[number]

export const MEDIA_TYPES = ['video', 'image'] as const
export type MediaType = (typeof MEDIA_TYPES)[number]

/** Whether an entry's media file was found and could be read. */
export const MEDIA_STATUSES = ['linked', 'missing', 'unreadable'] as const
export type MediaStatus = (typeof MEDIA_STATUSES)[number]

export const MEDIA_STATUS_INFO: Record<MediaStatus, string> = {
  linked: 'Linked',
  // Most of these rows are clips the dataset may not redistribute, not a fault: see shared/rebuildSource.ts.
  missing: 'Not in the repository',
  unreadable: 'Unreadable'
}

/** Extensions the dataset uses, lower-cased; files are matched case-insensitively on extension. */
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.avi', '.mpeg', '.mpg', '.gif'] as const
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const
