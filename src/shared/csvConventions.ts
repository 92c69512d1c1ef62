/**
 * How typed review values are written into `dataset_metadata.csv` cells, in
 * the dataset's own conventions: `1`/`0` with empty for "not assessed",
 * `n/A` for unknown symptoms, and the label spellings the file uses.
 */
import {
  LABEL_INFO,
  type Label,
  type PathologyState,
  type SymptomState
} from './vocabulary'

export const labelToCsv = (label: Label): string => LABEL_INFO[label].csv

export const pathologyToCsv = (state: PathologyState): string =>
  state === 'present' ? '1' : state === 'absent' ? '0' : ''

export const symptomToCsv = (state: SymptomState): string => (state === 'yes' ? '1' : state === 'no' ? '0' : 'n/A')

export const genderToCsv = (gender: 'male' | 'female' | null): string =>
  gender === 'male' ? 'm' : gender === 'female' ? 'w' : ''

/** Key-frame changes share the audit log with CSV cells under this field prefix. */
export const KEY_FRAME_FIELD_PREFIX = 'key frame '
export const keyFrameField = (frame: number): string => `${KEY_FRAME_FIELD_PREFIX}${frame}`
