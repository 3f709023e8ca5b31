// Owns where the CLI writes: container lines and results on stdout, the runtime's own messages on stderr.

/** Write a line to stdout. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Write a runtime message to stderr, prefixed `ocre: `. */
export function note(message: string): void {
  process.stderr.write(`ocre: ${message}\n`);
}

/** Print a container's line as `[name] line` on stdout, whichever stream it came from. */
export function containerLine(container: string, _stream: 'stdout' | 'stderr', line: string): void {
  process.stdout.write(`[${container}] ${line}\n`);
}
