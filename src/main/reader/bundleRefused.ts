/**
 * Why a reader bundle is refused, without the file's name: openStudy adds
 * "Cannot open reader study <file>: …" so every refusal names the file once.
 */
export class BundleRefused extends Error {}
