// Owns turning zod issues into lines a person can act on: the path in the file, what is expected, what was found.
import type { ZodIssue } from 'zod';
import { formatPath } from './schema.ts';

/** The value at `path` inside `data`, or undefined when the path does not exist. */
function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** Show a YAML value briefly: strings quoted, mappings and lists by kind. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/**
 * One line per issue: `path: expected …, got …`, or for an unknown key `path: unknown key; allowed here: …`.
 *
 * @param issues - zod's issues for the parsed document
 * @param data - the parsed document, to show what was found at each path
 */
export function describeIssues(issues: readonly ZodIssue[], data: unknown): string[] {
  const lines = issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map(
        (key) => `${formatPath([...issue.path, key]) || key}: ${issue.message}`,
      );
    }
    const where = formatPath(issue.path) || '(top level)';
    if (
      issue.code === 'custom' &&
      (issue.params as { plain?: boolean } | undefined)?.plain === true
    ) {
      return [`${where}: ${issue.message}`];
    }
    const found = valueAt(data, issue.path);
    if (found === undefined) return [`${where}: missing; expected ${issue.message}`];
    return [`${where}: expected ${issue.message}, got ${describeValue(found)}`];
  });
  return [...new Set(lines)];
}
