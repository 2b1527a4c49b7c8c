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
    // Pure modules: no Fabric, and none of the chaincode's own ledger I/O, services or contracts, so
    // they run unchanged in unit tests and in client processes (the curated api/ is pure too).
    files: [
      'chaincode/src/domain/**/*.ts',
      'chaincode/src/rules/**/*.ts',
      'chaincode/src/encoding/**/*.ts',
      'chaincode/src/types/**/*.ts',
      'chaincode/src/api/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fabric-*', '@hyperledger/*'], message: 'pure modules: no Fabric imports' },
            {
              group: ['**/ledger/*', '**/services/*', '**/contracts/*'],
              message: 'pure modules: no ledger I/O, services or contracts',
            },
          ],
        },
      ],
    },
  },
  {
    // Clients (gateway, device kit, network setup, CA tooling, benchmarks) see the chaincode only
    // through its curated API, which loads no Fabric chaincode library into their process.
    files: ['gateway/**/*.ts', 'network/**/*.ts', 'bench/**/*.ts', 'ca/**/*.ts', 'platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)chaincode/src(/(?!api$)[^/]+.*)?$',
              message: 'import the chaincode through chaincode/src/api only',
            },
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
