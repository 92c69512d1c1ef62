/** The review's components that other parts show: the view itself, the player (rating, cropping) and the label panel (submission's metadata step). */
export { default as LabelPanel } from './components/LabelPanel.vue'
export { default as Player } from './components/Player.vue'
export { default as ReviewView } from './ReviewView.vue'
