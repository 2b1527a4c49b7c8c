// Flat ESLint config: type-aware rules for all TypeScript, the rule that keeps chaincode domain
// modules free of Fabric (they must stay unit-testable with no network), and the folder boundaries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---- Folder boundaries (README, Layout; test/unit/architecture/folder-graph.test.ts checks the same
// table on the whole import graph, require() and import() included). Each folder may import only the
// folders listed; test/ may import anything. A later `files` block's no-restricted-imports REPLACES an
// earlier one's for the same files, so every folder gets ONE block below with all its patterns merged.
const FOLDERS = ['chaincode', 'platform', 'ca', 'network', 'gateway', 'bench', 'test'];
const ALLOWED = {
  chaincode: [],
  platform: ['chaincode'], // chaincode/src/api only (PLATFORM_CHAINCODE below)
  ca: ['platform'],
  network: ['platform', 'ca', 'chaincode'],
  gateway: ['platform', 'chaincode'],
  bench: ['platform', 'gateway', 'chaincode'],
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

// Which chaincode modules the other folders may import: the chaincode redesign adds its patterns here
// (restricting them to chaincode/src/api), and they are merged into the block of every folder that
// imports chaincode (network, gateway with its device kit, bench). Do not add a separate block for it.
const CHAINCODE_ENTRY = [];

const PLATFORM_CHAINCODE = {
  regex: '^(?:\\.\\./)+chaincode/(?!src/api(?:/|$))',
  caseSensitive: true,
  message: 'platform/ may import from chaincode/ only its curated chaincode/src/api',
};

// The device kit runs on a device, which knows its gateway's URL and nothing of the topology.
const DEVICE_KIT = {
  regex: '^(?:\\.\\./)+platform/src/(?!http/)',
  caseSensitive: true,
  message: 'the device kit may take from platform/ only its HTTP client (platform/src/http/)',
};

const FABRIC_FREE = {
  group: ['fabric-*', '@hyperledger/*'],
  message: 'domain modules are pure: no Fabric imports',
};

const restrictedImports = (files, patterns) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const boundaries = [
  restrictedImports(['chaincode/**/*.ts'], [boundaryOf('chaincode')]),
  restrictedImports(['chaincode/src/domain/**/*.ts'], [boundaryOf('chaincode'), FABRIC_FREE]),
  restrictedImports(['platform/**/*.ts'], [boundaryOf('platform'), PLATFORM_CHAINCODE]),
  restrictedImports(['ca/**/*.ts'], [boundaryOf('ca')]),
  restrictedImports(['network/**/*.ts'], [boundaryOf('network'), ...CHAINCODE_ENTRY]),
  restrictedImports(['gateway/**/*.ts'], [boundaryOf('gateway'), ...CHAINCODE_ENTRY]),
  restrictedImports(['gateway/device-kit/**/*.ts'], [boundaryOf('gateway'), ...CHAINCODE_ENTRY, DEVICE_KIT]),
  restrictedImports(['bench/**/*.ts'], [boundaryOf('bench'), ...CHAINCODE_ENTRY]),
];

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
