/**
 * The catalog's public state: the stores other parts of the renderer use.
 * Components others show are in views.ts; this file never imports a .vue
 * file, so stores that depend on it load in unit tests without a Vue compiler.
 */
export { useCatalogStore } from './stores/catalogStore'
export { useExportStore } from './stores/exportStore'
export { useProxyQueueStore } from './stores/proxyQueueStore'
export { useEntryDetail } from './composables/useEntryDetail'
