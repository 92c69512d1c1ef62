// Layering by environment (as VS Code does): shared code runs everywhere, so it
// imports nothing from Electron, Node or the DOM; the renderer never reaches
// into Node or the main process.
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import { existsSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, relative, resolve, sep } from 'node:path'

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

// The renderer's layout (docs/architecture.md, "The renderer"). Bottom to top:
// api/ and ui/ (no app, no features); app/stores/ and app/extensions.ts (the
// app-level services every feature may use); features/<name>/; the rest of
// app/ (main.ts, App.vue, the shell), the composition root. A feature reaches
// another one only through its index.ts (stores, logic; never a .vue file)
// or views.ts (components, startup registration), and only the features
// listed here: the core (catalog, review) never imports the features built on
// it, which show their output through app/extensions.ts instead.
const RENDERER_SRC = resolve(import.meta.dirname, 'src/renderer/src')
const FEATURE_DEPENDENCIES = {
  catalog: [],
  review: ['catalog'],
  backup: [],
  stats: ['catalog'],
  classifier: ['catalog', 'review'],
  ratings: ['catalog', 'review'],
  reader: ['ratings'],
  submission: ['catalog', 'review']
}
const PUBLIC_FILES = ['index.ts', 'views.ts']

function resolveImport(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec.split('?')[0])
  for (const candidate of [base, `${base}.ts`, `${base}.vue`, `${base}/index.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  }
  return base
}

/** Where a file sits: { layer: 'api' | 'ui' | 'app-services' | 'app' | 'feature' | 'other', feature?, rest? }. */
function placeOf(file) {
  const parts = relative(RENDERER_SRC, file).split(sep)
  if (parts[0] === '..') return { layer: 'outside' }
  if (parts[0] === 'api' || parts[0] === 'ui') return { layer: parts[0] }
  if (parts[0] === 'app') return { layer: parts[1] === 'stores' || parts[1] === 'extensions.ts' ? 'app-services' : 'app' }
  if (parts[0] === 'features' && parts.length > 2) return { layer: 'feature', feature: parts[1], rest: parts.slice(2).join('/') }
  return { layer: 'other' }
}

const ALLOWED_LAYERS = {
  api: ['api', 'outside'],
  ui: ['api', 'ui', 'outside'],
  'app-services': ['api', 'ui', 'app-services', 'outside'],
  feature: ['api', 'ui', 'app-services', 'outside'],
  app: ['api', 'ui', 'app-services', 'app', 'outside'],
  other: ['api', 'ui', 'app-services', 'app', 'outside']
}

const LAYER_NAMES = { api: 'api/', ui: 'ui/', 'app-services': 'app/stores/ and app/extensions.ts', app: 'app/', other: 'src/renderer/src/', outside: 'outside the renderer' }

function layoutProblem(fromFile, target, dynamic) {
  const from = placeOf(fromFile)
  const to = placeOf(target)
  if (to.layer !== 'feature') {
    return ALLOWED_LAYERS[from.layer]?.includes(to.layer) ? null : `${LAYER_NAMES[from.layer]} may not import from ${LAYER_NAMES[to.layer]} (see the layout above FEATURE_DEPENDENCIES in eslint.config.mjs).`
  }
  const publicFile = PUBLIC_FILES.includes(to.rest)
  if (from.layer === 'app') {
    // The composition root may load a feature's view lazily (its own chunk) or use its public files.
    return dynamic || publicFile ? null : `app/ uses features/${to.feature} only through its index.ts or views.ts (or a lazy import()).`
  }
  if (from.layer !== 'feature') return `${LAYER_NAMES[from.layer]} never imports a feature; a feature registers what it shows in app/extensions.ts.`
  if (from.feature === to.feature) {
    return publicFile ? `Inside features/${to.feature}, import the file itself: ${to.rest} is the feature's face to others.` : null
  }
  const allowed = FEATURE_DEPENDENCIES[from.feature]
  if (!allowed) return `features/${from.feature} is not in FEATURE_DEPENDENCIES (eslint.config.mjs): add it with the features it builds on.`
  if (!allowed.includes(to.feature)) {
    return `features/${from.feature} may not import features/${to.feature} (it builds on: ${allowed.join(', ') || 'no other feature'}); show its output through app/extensions.ts.`
  }
  return publicFile ? null : `features/${from.feature} reaches features/${to.feature} only through its index.ts (stores, logic) or views.ts (components), not ${to.rest}.`
}

const rendererLayout = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = context.physicalFilename ?? context.filename
    function check(node, dynamic) {
      const spec = node.source?.type === 'Literal' ? node.source.value : null
      if (typeof spec !== 'string' || !spec.startsWith('.')) return
      const problem = layoutProblem(file, resolveImport(file, spec), dynamic)
      if (problem) context.report({ node: node.source, message: problem })
    }
    return {
      ImportDeclaration: (node) => check(node, false),
      ExportNamedDeclaration: (node) => check(node, false),
      ExportAllDeclaration: (node) => check(node, false),
      ImportExpression: (node) => check(node, true)
    }
  }
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'build/**', 'resources/**'] },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } }
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off'
    }
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared runs in every process: no Electron.' }, ...nodeModules.map((name) => ({ name, message: 'src/shared runs in the browser too: no Node built-ins.' }))],
          patterns: [{ group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports only from src/shared.' }]
        }
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', '__dirname']
    }
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches Electron only through window.lus.' }, ...nodeModules.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' }))],
          patterns: [{ group: ['**/main/**', '**/preload/**', 'better-sqlite3'], message: 'The renderer talks to main only through the API contract.' }]
        }
      ]
    }
  },
  {
    files: ['src/renderer/src/**/*.{ts,vue}'],
    plugins: { lus: { rules: { 'renderer-layout': rendererLayout } } },
    rules: { 'lus/renderer-layout': 'error' }
  },
  {
    // Inside main, only the Electron host touches Electron: every domain also runs under plain Node (CLI, serve mode, workers).
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/main/electron/ import Electron; the domains also run under plain Node (CLI, serve, workers).' }] }
      ]
    }
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } }
  }
)
