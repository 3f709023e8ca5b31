// Builds the dashboard page into dist/dashboard/page/ (app.js, app.css), where an installed ocre serves it from.
import { fileURLToPath } from 'node:url';
import { buildPage } from '../src/dashboard/page-assets.ts';

const outdir = fileURLToPath(new URL('../dist/dashboard/page/', import.meta.url));
buildPage(outdir);
console.log(`dashboard page built into ${outdir}`);
