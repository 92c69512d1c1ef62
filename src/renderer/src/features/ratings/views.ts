/** The rating workspace, shown by rater mode and by the reader workstation. */
export { default as RatingWorkspace } from './components/RatingWorkspace.vue'
