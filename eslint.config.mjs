// Layering by environment (as VS Code does): shared code runs everywhere, so it
// imports nothing from Electron, Node or the DOM; the renderer never reaches
// into Node or the main process.
import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import { builtinModules } from 'node:module'

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

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
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly', console: 'readonly' } }
  }
)
