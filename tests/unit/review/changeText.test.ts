import { describe, expect, it } from 'vitest'
import { actionText, changeText, fieldText, keyFrameOfField } from '../../../src/main/review/changeText'
import { keyFrameField } from '../../../src/shared/csvConventions'

describe('audited changes as reviewers read them', () => {
  it('number key frames as the player does (stored 0-based, shown 1-based)', () => {
    expect(keyFrameField(4)).toBe('key frame 4')
    expect(keyFrameOfField('key frame 4')).toBe(4)
    expect(fieldText('key frame 4')).toBe('Key frame 5')
    expect(fieldText('key frame 0')).toBe('Key frame 1')
    expect(changeText({ field: 'key frame 4', oldValue: null, newValue: '' })).toBe('Key frame 5 (marked)')
    expect(changeText({ field: 'key frame 4', oldValue: '', newValue: 'pleural line' })).toBe('Key frame 5 (note blank → "pleural line")')
  })

  it('leave CSV columns named as in the file, even one that looks like a key frame but is not', () => {
    expect(keyFrameOfField('B-lines')).toBeNull()
    expect(keyFrameOfField('key frame x')).toBeNull()
    expect(fieldText('key frame x')).toBe('key frame x')
    expect(fieldText('')).toBe('(unnamed column)')
  })

  it('say values in the words of the review panel, not the CSV spellings', () => {
    expect(changeText({ field: 'Label', oldValue: 'COVID-19', newValue: 'regular' })).toBe('Label (COVID-19 → Healthy)')
    expect(changeText({ field: 'B-lines', oldValue: '', newValue: '1' })).toBe('B-lines (Not assessed → Present)')
    expect(changeText({ field: 'Effusion', oldValue: '1', newValue: '0' })).toBe('Effusion (Present → Absent)')
    expect(changeText({ field: 'Cough', oldValue: 'n/A', newValue: '1' })).toBe('Cough (Not applicable → Yes)')
    expect(changeText({ field: 'Gender', oldValue: 'm', newValue: 'w' })).toBe('Gender (Male → Female)')
    expect(changeText({ field: 'Age', oldValue: '', newValue: '64' })).toBe('Age (blank → "64")')
    expect(changeText({ field: 'Label', oldValue: 'Pneumonia?', newValue: 'Other' })).toBe('Label ("Pneumonia?" → Other)')
  })

  it('tell two spellings of one state apart rather than print a change that reads as none', () => {
    expect(changeText({ field: 'Fever', oldValue: '', newValue: 'n/A' })).toBe('Fever (blank → "n/A")')
    expect(changeText({ field: 'B-lines', oldValue: '1', newValue: ' 1' })).toBe('B-lines ("1" → " 1")')
  })

  it('shorten long free text', () => {
    const text = changeText({ field: 'Comments first medical doctor (MD1)', oldValue: '', newValue: 'x'.repeat(100) })
    expect(text).toBe(`Comments first medical doctor (MD1) (blank → "${'x'.repeat(39)}…")`)
  })

  it('name the first three changes of an action and count the rest', () => {
    const cells = ['Fever', 'Cough', 'Headache', 'Fatigue', 'Sore throat'].map((field) => ({ field, oldValue: 'n/A', newValue: '0' }))
    expect(actionText(cells.slice(0, 2))).toBe('Fever (Not applicable → No), Cough (Not applicable → No)')
    expect(actionText(cells.slice(0, 4))).toBe('Fever (Not applicable → No), Cough (Not applicable → No), Headache (Not applicable → No) and 1 more change')
    expect(actionText(cells)).toBe('Fever (Not applicable → No), Cough (Not applicable → No), Headache (Not applicable → No) and 2 more changes')
  })
})
