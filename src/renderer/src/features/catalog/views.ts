/** The catalog's components that the app shell and the review show. */
export { default as CatalogView } from './CatalogView.vue'
export { default as EmptyState } from './components/EmptyState.vue'
export { default as EntryClinicalFields } from './components/EntryClinicalFields.vue'
export { default as EntryCsvFields } from './components/EntryCsvFields.vue'
export { default as EntryMediaInfo } from './components/EntryMediaInfo.vue'
export { default as OpenFolderDialog } from './components/OpenFolderDialog.vue'
