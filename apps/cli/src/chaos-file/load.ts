// Owns reading a chaos plan file for `ocre run --chaos`: YAML parsing and schema validation, every problem reported at once.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FaultPlan } from '@ocre-ts/actors/testing';
import { parseDocument } from 'yaml';
import { systemFileError } from '../errors.ts';
import { describeIssues } from '../system-file/issues.ts';
import { describeYamlError } from '../system-file/load.ts';
import { chaosPlanSchema } from './schema.ts';

/** A validated chaos plan and what to call it in messages. */
export interface ChaosPlanFile {
  /** `chaos plan <file as given>`. */
  readonly subject: string;
  /** The plan, in the shape `injectFaults` takes. */
  readonly plan: FaultPlan;
}

/**
 * Read, parse and validate a chaos plan file (container and supervisor names are checked later,
 * against the system, by `injectFaults`).
 *
 * @param file - the path as the user gave it
 * @param cwd - what it is relative to
 * @throws CliError `INVALID_CHAOS_PLAN` naming the file and each bad path in it
 */
export function loadChaosPlan(file: string, cwd = process.cwd()): ChaosPlanFile {
  const path = resolve(cwd, file);
  const subject = `chaos plan ${file}`;
  const fail = (problems: readonly string[]) =>
    systemFileError(subject, problems, 'INVALID_CHAOS_PLAN');
  if (!existsSync(path) || !statSync(path).isFile()) throw fail(['the file does not exist']);
  const document = parseDocument(readFileSync(path, 'utf8'), { prettyErrors: true });
  if (document.errors.length > 0) throw fail(document.errors.map(describeYamlError));
  const raw: unknown = document.toJS();
  const parsed = chaosPlanSchema.safeParse(raw);
  if (!parsed.success) throw fail(describeIssues(parsed.error.issues, raw));
  return { subject, plan: parsed.data };
}
