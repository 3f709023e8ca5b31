// Owns reading a WebAssembly binary's sections (imports with signatures, the memory) and rewriting the memory's maximum.
import { encodeU32Leb128, readU32Leb128 } from './leb128.ts';

/** An import as the binary declares it; `signature` is set for functions, e.g. `(i32) -> i32`. */
export interface ModuleImport {
  readonly module: string;
  readonly name: string;
  readonly kind: 'function' | 'table' | 'memory' | 'global' | 'tag';
  readonly signature?: string;
}

/** The limits of the module's own (defined, not imported) memory, in 64 KiB pages. */
export interface ModuleMemory {
  readonly minPages: number;
  readonly maxPages: number | undefined;
  /** True for a shared (threads) memory. */
  readonly shared: boolean;
  /** True for a 64-bit memory. */
  readonly memory64: boolean;
}

/** What the loader needs to know about a binary before running it. */
export interface ModuleLayout {
  readonly imports: readonly ModuleImport[];
  /** The defined memories (a valid MVP module has at most one). */
  readonly memories: readonly ModuleMemory[];
}

const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const importKinds = ['function', 'table', 'memory', 'global', 'tag'] as const;
const valueTypes: Readonly<Record<number, string>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

/** A cursor over a binary; every read is bounds-checked and throws RangeError past the end. */
class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
  ) {}
  byte(): number {
    const value = this.bytes[this.at];
    if (value === undefined) throw new RangeError(`unexpected end of module at byte ${this.at}`);
    this.at++;
    return value;
  }
  u32(): number {
    const { value, next } = readU32Leb128(this.bytes, this.at);
    this.at = next;
    return value;
  }
  name(): string {
    const length = this.u32();
    if (this.at + length > this.bytes.length) throw new RangeError('name runs past the end');
    const text = new TextDecoder().decode(this.bytes.subarray(this.at, this.at + length));
    this.at += length;
    return text;
  }
  limits(): { flags: number; min: number; max: number | undefined } {
    const flags = this.byte();
    const min = this.u32();
    const max = (flags & 1) !== 0 ? this.u32() : undefined;
    return { flags, min, max };
  }
}

interface Section {
  readonly id: number;
  /** Offset of the id byte. */
  readonly start: number;
  /** Offset of the first content byte. */
  readonly contentStart: number;
  /** Offset just past the content. */
  readonly end: number;
}

function sections(bytes: Uint8Array): Section[] {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73) {
    throw new RangeError('missing the \\0asm magic number');
  }
  const found: Section[] = [];
  const reader = new Reader(bytes, 8);
  while (reader.at < bytes.length) {
    const start = reader.at;
    const id = reader.byte();
    const size = reader.u32();
    const contentStart = reader.at;
    const end = contentStart + size;
    if (end > bytes.length) throw new RangeError(`section ${id} runs past the end of the module`);
    found.push({ id, start, contentStart, end });
    reader.at = end;
  }
  return found;
}

function readMemory(reader: Reader): ModuleMemory {
  const { flags, min, max } = reader.limits();
  return { minPages: min, maxPages: max, shared: (flags & 2) !== 0, memory64: (flags & 4) !== 0 };
}

/**
 * Read the imports (functions with their signatures) and defined memories of a binary.
 *
 * @param bytes - a WebAssembly module
 * @throws RangeError when the binary is truncated or not WebAssembly
 */
export function readModuleLayout(bytes: Uint8Array): ModuleLayout {
  const types: string[] = [];
  const imports: ModuleImport[] = [];
  const memories: ModuleMemory[] = [];
  for (const section of sections(bytes)) {
    const reader = new Reader(bytes, section.contentStart);
    if (section.id === SECTION_TYPE) {
      for (let count = reader.u32(); count > 0; count--) {
        if (reader.byte() !== 0x60) throw new RangeError('unsupported type form');
        const params = Array.from({ length: reader.u32() }, () => valueName(reader.byte()));
        const results = Array.from({ length: reader.u32() }, () => valueName(reader.byte()));
        const result = results.length === 1 ? results[0] : `(${results.join(', ')})`;
        types.push(`(${params.join(', ')}) -> ${result}`);
      }
    } else if (section.id === SECTION_IMPORT) {
      for (let count = reader.u32(); count > 0; count--) {
        const module = reader.name();
        const name = reader.name();
        const kind = importKinds[reader.byte()];
        if (kind === undefined)
          throw new RangeError(`import ${module}.${name} has an unknown kind`);
        if (kind === 'function') {
          const typeIndex = reader.u32();
          imports.push({ module, name, kind, signature: types[typeIndex] ?? 'unknown' });
          continue;
        }
        if (kind === 'table') {
          reader.byte();
          reader.limits();
        } else if (kind === 'memory') reader.limits();
        else if (kind === 'global') {
          reader.byte();
          reader.byte();
        } else {
          reader.byte();
          reader.u32();
        }
        imports.push({ module, name, kind });
      }
    } else if (section.id === SECTION_MEMORY) {
      for (let count = reader.u32(); count > 0; count--) memories.push(readMemory(reader));
    }
  }
  return { imports, memories };
}

function valueName(code: number): string {
  return valueTypes[code] ?? `0x${code.toString(16)}`;
}

/**
 * Return a copy of the binary whose (single, defined, 32-bit, unshared) memory has a maximum of
 * at most `maxPages`: an absent maximum is added, a larger one lowered, a smaller one kept.
 * Only the memory section changes; the engine then makes `memory.grow` past the cap return -1.
 *
 * @param bytes - a WebAssembly module with one defined memory
 * @param maxPages - the cap in 64 KiB pages, 1 to 65536
 * @throws RangeError when there is no memory section, more than one memory, an unsupported
 *   (shared or 64-bit) memory, or an initial size above `maxPages`
 * @example
 * const capped = capMemoryPages(bytes, 256); // at most 16 MiB
 */
export function capMemoryPages(bytes: Uint8Array, maxPages: number): Uint8Array {
  const section = sections(bytes).find((candidate) => candidate.id === SECTION_MEMORY);
  if (section === undefined) throw new RangeError('the module defines no memory');
  const reader = new Reader(bytes, section.contentStart);
  if (reader.u32() !== 1) throw new RangeError('the module defines more than one memory');
  const memory = readMemory(reader);
  if (memory.shared || memory.memory64) {
    throw new RangeError('the module memory is shared or 64-bit, which is not supported');
  }
  if (memory.minPages > maxPages) {
    throw new RangeError(
      `the module memory starts at ${memory.minPages} pages, above the cap of ${maxPages}`,
    );
  }
  const cappedMax = Math.min(memory.maxPages ?? maxPages, maxPages);
  const content = concat([
    encodeU32Leb128(1),
    Uint8Array.of(0x01),
    encodeU32Leb128(memory.minPages),
    encodeU32Leb128(cappedMax),
    bytes.subarray(reader.at, section.end),
  ]);
  return concat([
    bytes.subarray(0, section.start),
    Uint8Array.of(SECTION_MEMORY),
    encodeU32Leb128(content.length),
    content,
    bytes.subarray(section.end),
  ]);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
