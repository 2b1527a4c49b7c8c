// Flat ESLint config: type-aware rules for all TypeScript, the rule that keeps chaincode domain
// modules free of Fabric (they must stay unit-testable with no network), and the folder boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---- Folder boundaries (README, Layout; test/unit/architecture/folder-graph.test.ts checks the same
// table on the whole import graph, require() and import() included). Each folder may import only the
// folders listed; test/ may import anything. A later `files` block's no-restricted-imports REPLACES an
// earlier one's for the same files, so every folder gets ONE block below with all its patterns merged.
const FOLDERS = ['chaincode', 'platform', 'ca', 'network', 'gateway', 'bench', 'demo', 'verifier', 'test'];
const ALLOWED = {
  chaincode: [],
  platform: ['chaincode'], // chaincode/src/api only (PLATFORM_CHAINCODE below)
  ca: ['platform'],
  network: ['platform', 'ca', 'chaincode'],
  gateway: ['platform', 'chaincode', 'verifier'], // verifier/src/bundle.ts: the proof bundle format
  bench: ['platform', 'gateway', 'chaincode'],
  demo: ['platform', 'gateway', 'chaincode'],
  verifier: [],
};

/** A relative import that climbs out of its folder into one of `folders`. */
const into = (folders, message) => ({
  regex: `^(?:\\.\\./)+(?:${folders.join('|')})(?:/|$)`,
  caseSensitive: true,
  message,
});

const boundaryOf = (folder) =>
  into(
    FOLDERS.filter((other) => other !== folder && !ALLOWED[folder].includes(other)),
    ALLOWED[folder].length === 0
      ? `${folder}/ imports nothing outside itself (README, Layout)`
      : `${folder}/ may import only ${ALLOWED[folder].map((f) => `${f}/`).join(', ')} (README, Layout)`,
  );

// Clients (gateway with its device kit, network setup, benchmarks, the demo, platform) see the chaincode only
// through its curated API, which loads no Fabric chaincode library into their process. Merged into the
// block of every folder that imports chaincode: do not add a separate block for it.
const CHAINCODE_API_ONLY = {
  regex: '^(?:\\.\\./)+chaincode/(?!src/api(?:/|$))',
  caseSensitive: true,
  message: 'import the chaincode through chaincode/src/api only',
};
const CHAINCODE_ENTRY = [CHAINCODE_API_ONLY];
const PLATFORM_CHAINCODE = CHAINCODE_API_ONLY;

// The device kit runs on a device, which knows its gateway's URL and nothing of the topology.
const DEVICE_KIT = {
  regex: '^(?:\\.\\./)+platform/src/(?!http/)',
  caseSensitive: true,
  message: 'the device kit may take from platform/ only its HTTP client (platform/src/http/)',
};

// Pure chaincode modules: no Fabric, and none of the chaincode's own ledger I/O, services or
// contracts, so they run unchanged in unit tests and in client processes (the curated api/ is pure too).
const PURE_CHAINCODE = ['domain', 'rules', 'encoding', 'types', 'api'].map(
  (f) => `chaincode/src/${f}/**/*.ts`,
);
const FABRIC_FREE = {
  group: ['fabric-*', '@hyperledger/*'],
  message: 'pure modules: no Fabric imports',
};
const NO_CHAINCODE_IO = {
  group: ['**/ledger/*', '**/services/*', '**/contracts/*'],
  message: 'pure modules: no ledger I/O, services or contracts',
};

// The verifier is read by auditors line by line: it may import only node: built-ins and its own
// files, never an npm package (a bare specifier). Relative imports out of the folder are refused by
// its boundary above.
const NODE_BUILTINS_ONLY = {
  regex: '^(?!node:|\\.{1,2}/)',
  message: 'verifier/src imports only node: built-ins and its own files (no npm packages)',
};

const restrictedImports = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const boundaries = [
  restrictedImports(['chaincode/**/*.ts'], [boundaryOf('chaincode')]),
  restrictedImports(PURE_CHAINCODE, [boundaryOf('chaincode'), FABRIC_FREE, NO_CHAINCODE_IO]),
  restrictedImports(['platform/**/*.ts'], [boundaryOf('platform'), PLATFORM_CHAINCODE]),
  restrictedImports(['ca/**/*.ts'], [boundaryOf('ca')]),
  restrictedImports(['network/**/*.ts'], [boundaryOf('network'), ...CHAINCODE_ENTRY]),
  restrictedImports(['gateway/**/*.ts'], [boundaryOf('gateway'), ...CHAINCODE_ENTRY]),
  restrictedImports(['gateway/device-kit/**/*.ts'], [boundaryOf('gateway'), ...CHAINCODE_ENTRY, DEVICE_KIT]),
  restrictedImports(['bench/**/*.ts'], [boundaryOf('bench'), ...CHAINCODE_ENTRY]),
  restrictedImports(['demo/**/*.ts'], [boundaryOf('demo'), ...CHAINCODE_ENTRY]),
  restrictedImports(['verifier/**/*.ts'], [boundaryOf('verifier'), NODE_BUILTINS_ONLY]),
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'chaincode/dist/',
      'network/run/',
      'test-output/',
      'eslint.config.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      parserOptions: {
        // The console's build script is plain ESM (node runs it before anything is compiled).
        projectService: { allowDefaultProject: ['gateway/console/build.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...boundaries,
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
