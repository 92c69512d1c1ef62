/** Backups' public state, for the app shell's menu and header. Never imports a .vue file. */
export { useBackupStore } from './stores/backupStore'
