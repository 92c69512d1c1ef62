import { createPinia } from 'pinia'
import { createApp, type Component } from 'vue'
import { useApi } from './api'
import App from './App.vue'
import { useTheme } from './composables/useTheme'
import './styles.css'

/**
 * A reader workstation (a reader study opened in main) gets its own root: it
 * never mounts the catalog app, so none of its views, stores or keys exist.
 */
async function rootComponent(): Promise<Component> {
  const mode = await useApi()['app/mode']({})
  if (mode.ok && mode.value.mode === 'reader') {
    document.title = 'LUS Review — Reader study'
    return (await import('./features/reader/ReaderApp.vue')).default
  }
  return App
}

// The theme is on <html> before the first paint, in both roots.
useTheme()

void rootComponent().then((root) => createApp(root).use(createPinia()).mount('#app'))
