/** The backup dialog the app header opens. */
export { default as BackupDialog } from './components/BackupDialog.vue'
