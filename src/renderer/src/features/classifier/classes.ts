import type { ModelClass } from '../../../../shared/classifierPreprocess'

export const CLASS_NAMES: Record<ModelClass, string> = {
  covid: 'COVID-19',
  pneumonia: 'Pneumonia',
  healthy: 'Healthy',
  uninformative: 'Not lung US'
}

export const CLASS_COLOURS: Record<ModelClass, string> = {
  covid: '#d9480f',
  pneumonia: '#1c7ed6',
  healthy: '#2f9e44',
  uninformative: '#868e96'
}
