// ESLint: the Nest defaults (typescript-eslint's type-checked recommendations), with Prettier owning the layout.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'test-artifacts/**', 'data/**', 'studio/dist/**', 'eslint.config.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      globals: { ...globals.node },
      sourceType: 'commonjs',
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Tests and adapters around untyped libraries read JSON of unknown shape; `any` there is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Test probes are often async callbacks that answer at once (waitFor(async () => ...)).
    files: ['test/**/*.ts', 'test/**/*.js', '**/*.spec.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    // The studio page runs in the browser, as ES modules.
    files: ['studio/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
  {
    // Plain Node scripts (CommonJS, checked by tsc through checkJs).
    files: ['**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off', '@typescript-eslint/unbound-method': 'off' },
  },
);
