// Owns where the dashboard page comes from: the bundle built into dist for an installed ocre, or an esbuild bundle of its sources (cached by content hash) when ocre runs from the workspace.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/** The page: HTML, one script, one stylesheet. */
export interface PageAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

const runsFromSource = import.meta.url.endsWith('.ts');
/** The page's sources: the view, and the model it shares with the server. */
const sourceDirectories = ['../../dashboard-page/', './model/'].map((p) =>
  fileURLToPath(new URL(p, import.meta.url)),
);
const entry = fileURLToPath(new URL('../../dashboard-page/main.tsx', import.meta.url));

/** The HTML that loads the page (the token stays in the URL, read by the script). */
function pageHtml(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ocre dashboard</title>
<link rel="stylesheet" href="/app.css?v=${version}">
</head>
<body>
<div id="app">loading…</div>
<script type="module" src="/app.js?v=${version}"></script>
</body>
</html>
`;
}

let loaded: PageAssets | undefined;

/**
 * The page's assets: `dist/dashboard/page/app.{js,css}` beside this file once built, else an
 * esbuild bundle of `apps/cli/dashboard-page` written once per content hash to
 * `node_modules/.cache/ocre-ts/`.
 */
export function loadPageAssets(): PageAssets {
  if (loaded !== undefined) return loaded;
  const directory = runsFromSource
    ? bundleSources()
    : fileURLToPath(new URL('./page/', import.meta.url));
  const js = readFileSync(join(directory, 'app.js'), 'utf8');
  const css = readFileSync(join(directory, 'app.css'), 'utf8');
  const version = createHash('sha256').update(js).update(css).digest('hex').slice(0, 12);
  loaded = { html: pageHtml(version), js, css };
  return loaded;
}

/** Every source file under the page's directories, sorted, for the content hash. */
function sourceFiles(): string[] {
  return sourceDirectories
    .flatMap((directory) =>
      readdirSync(directory, { recursive: true, encoding: 'utf8' })
        .filter((name) => /\.(tsx?|css)$/.test(name))
        .map((name) => join(directory, name)),
    )
    .sort();
}

/**
 * Bundle the page with esbuild into `outdir` (`app.js`, `app.css`), minified.
 *
 * @param outdir - where to write
 */
export function buildPage(outdir: string): void {
  // esbuild is a development dependency: only the workspace (and the build) reach here.
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof Esbuild;
  esbuild.buildSync({
    entryPoints: { app: entry },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    outdir,
    logLevel: 'silent',
  });
}

function bundleSources(): string {
  const hash = createHash('sha256');
  for (const file of sourceFiles()) hash.update(file).update(readFileSync(file));
  const key = hash.digest('hex').slice(0, 16);
  const cache = fileURLToPath(new URL('../../node_modules/.cache/ocre-ts/', import.meta.url));
  const directory = join(cache, `dashboard-${key}`);
  if (existsSync(join(directory, 'app.js')) && existsSync(join(directory, 'app.css')))
    return directory;
  // Build beside, then rename: a process reading the cache never sees half a bundle.
  const partial = `${directory}.${process.pid}.tmp`;
  mkdirSync(partial, { recursive: true });
  buildPage(partial);
  if (!existsSync(join(partial, 'app.css'))) writeFileSync(join(partial, 'app.css'), '');
  try {
    renameSync(partial, directory);
  } catch {
    // Another process won the race with the same content.
  }
  return directory;
}
