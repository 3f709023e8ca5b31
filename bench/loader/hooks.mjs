// Owns the module hooks that run the suite's TypeScript as plain tsc output: type syntax removed, nothing renamed or wrapped.
//
// tsx (esbuild with keepNames) wraps every named function in __name(), which turns each such
// function object into a slow-properties object: about 3 KB more heap per idle container than
// the published (tsc-built) package costs, and minified one-line stack frames in profiles. The
// benchmark measures what users run, so each scenario process loads .ts files through
// TypeScript's own transpiler instead, with line numbers kept.
import { readFile } from 'node:fs/promises';
import ts from 'typescript';

const compilerOptions = {
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  verbatimModuleSyntax: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
};

/** Node load hook: transpile `.ts` files, leave everything else to Node. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: url });
  return { format: 'module', source: outputText, shortCircuit: true };
}
