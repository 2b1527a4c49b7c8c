// Builds the web console into dist/console (served by every gateway at /console/): type-checks the
// browser code (tsc -p gateway/console, run by `npm run build` before this), bundles it with its
// libraries into one script with esbuild, and copies the page and its stylesheet. Nothing is fetched
// at run time: no CDN, no fonts.
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '..', '..', 'dist', 'console');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'src', 'main.ts')],
  outfile: path.join(out, 'console.js'),
  bundle: true,
  format: 'iife',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
for (const file of ['index.html', 'console.css']) copyFileSync(path.join(here, file), path.join(out, file));
