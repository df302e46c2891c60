import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // Walking a context's parent chain starts from `this`: `for (let ctx = this; ctx; ctx = ctx.parent)`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['ctx'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Plain CommonJS files (jest setup, the bin shim) use require().
  { files: ['**/*.js'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
