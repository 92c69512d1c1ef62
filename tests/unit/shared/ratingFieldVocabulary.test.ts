import { describe, expect, it } from 'vitest'
import { fieldVocabulary, isPathologyField, isRatingField, isSymptomField, valueOf } from '../../../src/shared/ratingFieldVocabulary'
import { LABELS, PATHOLOGY_STATES, PROBES, SYMPTOM_STATES } from '../../../src/shared/vocabulary'

describe('rating field vocabulary', () => {
  it("lists a choice field's answers from its schema, not stated (null) last where allowed", () => {
    expect(fieldVocabulary('label')).toEqual([...LABELS])
    expect(fieldVocabulary('B-lines')).toEqual([...PATHOLOGY_STATES])
    expect(fieldVocabulary('Fever')).toEqual([...SYMPTOM_STATES])
    expect(fieldVocabulary('gender')).toEqual(['male', 'female', null])
    expect(fieldVocabulary('probe')).toEqual([...PROBES, null])
    for (const f of ['age', 'patientId', 'degumArea', 'comments'] as const) expect(fieldVocabulary(f)).toBeNull()
  })

  it('tells the field groups apart', () => {
    expect(isRatingField('label')).toBe(true)
    expect(isRatingField('Label')).toBe(false)
    expect(isPathologyField('B-lines')).toBe(true)
    expect(isPathologyField('Fever')).toBe(false)
    expect(isSymptomField('Fever')).toBe(true)
    expect(valueOf({ label: 'covid' }, 'label')).toBe('covid')
    expect(valueOf({ label: 'covid' }, 'age')).toBeUndefined()
  })
})
