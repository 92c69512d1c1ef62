/**
 * The classifier's public surface: its startup registration (what it adds to
 * the catalog, the player and the review, see app/extensions.ts). The splits
 * view is loaded lazily by the app shell.
 */
export { registerClassifier } from './registerClassifier'
