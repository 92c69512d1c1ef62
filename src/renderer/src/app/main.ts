import { createPinia } from 'pinia'
import { createApp, type Component } from 'vue'
import { useApi } from '../api'
import App from './App.vue'
import { registerClassifier } from '../features/classifier/views'
import { registerSubmission } from '../features/submission'
import { useTheme } from '../ui/composables/useTheme'
// Last, so the global rules come after the components' own in the cascade (as before).
import '../ui/styles.css'

// Features add what they show inside the catalog and the review (app/extensions.ts) before anything mounts.
registerClassifier()
registerSubmission()

/**
 * A reader workstation (a reader study opened in main) gets its own root: it
 * never mounts the catalog app, so none of its views, stores or keys exist.
 */
async function rootComponent(): Promise<Component> {
  const mode = await useApi()['app/mode']({})
  if (mode.ok && mode.value.mode === 'reader') {
    document.title = 'LUS Review — Reader study'
    return (await import('../features/reader/ReaderApp.vue')).default
  }
  return App
}

// The theme is on <html> before the first paint, in both roots.
useTheme()

void rootComponent().then((root) => createApp(root).use(createPinia()).mount('#app'))
