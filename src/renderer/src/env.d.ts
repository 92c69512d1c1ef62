/// <reference types="vite/client" />

interface Window {
  /** Exposed by the Electron preload; absent when the UI runs in a browser (serve mode). */
  lus?: import('../../shared/contract').LusApi
  /** The app's desktop-only functions (dropped files' paths, menu commands); absent in serve mode. */
  lusDesktop?: import('../../shared/desktopBridge').DesktopBridge
}
