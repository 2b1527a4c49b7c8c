// The import graph between the top-level folders, read from the TypeScript sources: every relative
// `import … from`, `export … from`, `import x = require()`, `require()`, `import()` and `import('…')`
// type. It must have no cycle and only the edges README's layout allows (eslint.config.mjs enforces
// the same table file by file while editing; this sees every form of import at once).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { REPO_ROOT } from '../../support/repo';

const FOLDERS = [
  'chaincode',
  'platform',
  'ca',
  'network',
  'gateway',
  'bench',
  'demo',
  'verifier',
  'test',
] as const;
type Folder = (typeof FOLDERS)[number];

/** What each folder may import: a folder, or a path inside one. test/ may import anything. */
const ALLOWED: Record<Folder, readonly string[]> = {
  chaincode: [],
  platform: ['chaincode/src/api'],
  ca: ['platform'],
  network: ['platform', 'ca', 'chaincode'],
  gateway: ['platform', 'chaincode', 'verifier'],
  bench: ['platform', 'gateway', 'chaincode'],
  demo: ['platform', 'gateway', 'chaincode'],
  verifier: [],
  test: FOLDERS,
};

/** Build output and runtime files: not sources. */
const SKIPPED = new Set(['node_modules', 'dist', 'run']);

function sourcesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : sourcesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a source names, in any form of import. */
function specifiersOf(fileName: string, text: string): string[] {
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node !== undefined && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    )
      literal(node.arguments[0]);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS));
  return found;
}

interface Edge {
  from: Folder;
  /** The imported module, relative to the repository root. */
  target: string;
  /** `<file> → <specifier>`, to name the import in a failure. */
  where: string;
}

function crossFolderEdges(): Edge[] {
  return FOLDERS.flatMap((from) =>
    sourcesUnder(path.join(REPO_ROOT, from)).flatMap((file) =>
      specifiersOf(file, readFileSync(file, 'utf8'))
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => ({
          from,
          target: path
            .relative(REPO_ROOT, path.resolve(path.dirname(file), specifier))
            .split(path.sep)
            .join('/'),
          where: `${path.relative(REPO_ROOT, file)} → ${specifier}`,
        }))
        .filter((edge) => edge.target.split('/')[0] !== from),
    ),
  );
}

const isAllowed = (edge: Edge) =>
  ALLOWED[edge.from].some((prefix) => edge.target === prefix || edge.target.startsWith(`${prefix}/`));

/** Every cycle of the folder graph, each once, as `a → b → … → a` from its smallest folder. */
function cyclesOf(graph: Map<string, Set<string>>): string[] {
  const cycles = new Set<string>();
  const walk = (start: string, node: string, trail: string[]) => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) cycles.add([...trail, start].join(' → '));
      else if (!trail.includes(next) && next > start) walk(start, next, [...trail, next]);
    }
  };
  for (const start of [...graph.keys()].sort()) walk(start, start, [start]);
  return [...cycles].sort();
}

describe('architecture/folder-graph', () => {
  const edges = crossFolderEdges();

  describe('#specifiersOf', () => {
    it('should read every form of import, and nothing in comments or strings', () => {
      const text = [
        "import a from './a';",
        "import type { B } from '../b';",
        "import './side-effect';",
        "export { c } from './c';",
        "export * from './d';",
        "import e = require('./e');",
        "const f = require('./f');",
        "const g = import('./g');",
        "type H = import('./h').H;",
        "// import z from './commented';",
        'const s = "from \'./string\'";',
      ].join('\n');
      assert.deepEqual(specifiersOf('probe.ts', text), [
        './a',
        '../b',
        './side-effect',
        './c',
        './d',
        './e',
        './f',
        './g',
        './h',
      ]);
    });
  });

  it('should read the sources of every folder', () => {
    for (const folder of FOLDERS)
      assert.ok(sourcesUnder(path.join(REPO_ROOT, folder)).length > 0, `no sources in ${folder}/`);
  });

  it('should import across folders only along the allowed edges', () => {
    const refused = edges.filter((edge) => !isAllowed(edge)).map((edge) => edge.where);
    assert.deepEqual(refused, [], `imports against README's layout:\n  ${refused.join('\n  ')}`);
  });

  it('should let verifier/ import only node: built-ins and its own files (an auditor reads all of it)', () => {
    const verifierDir = path.join(REPO_ROOT, 'verifier');
    const foreign = sourcesUnder(verifierDir).flatMap((file) =>
      specifiersOf(file, readFileSync(file, 'utf8'))
        .filter((specifier) =>
          specifier.startsWith('.')
            ? path.relative(verifierDir, path.resolve(path.dirname(file), specifier)).startsWith('..')
            : !specifier.startsWith('node:'),
        )
        .map((specifier) => `${path.relative(REPO_ROOT, file)} → ${specifier}`),
    );
    assert.deepEqual(foreign, []);
  });

  it('should have no cycle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const { from, target } of edges) {
      const to = target.split('/')[0] ?? target;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    assert.deepEqual(cyclesOf(graph), []);
  });
});
