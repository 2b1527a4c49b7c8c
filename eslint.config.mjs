// Flat ESLint config: type-aware rules for all TypeScript, plus the rule that keeps
// chaincode domain modules free of Fabric (they must stay unit-testable with no network).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'chaincode/dist/', 'network/run/', 'eslint.config.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['chaincode/src/domain/**/*.ts', 'chaincode/src/rules/**/*.ts', 'chaincode/src/encoding/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fabric-*', '@hyperledger/*'], message: 'domain modules are pure: no Fabric imports' },
          ],
        },
      ],
    },
  },
  {
    // node:test's describe/it return promises that the runner itself awaits; tests may assert
    // presence with `!` right after checking it.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
