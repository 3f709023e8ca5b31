// Owns reading function signatures of a module's imports and exports from its binary, for tests.

/** The slice of the WebAssembly JS API these tests use (the repo's TS libs do not declare it). */
interface WebAssemblyApi {
  compile(bytes: Uint8Array): Promise<WebAssemblyModule>;
  readonly Module: {
    imports(module: WebAssemblyModule): { module: string; name: string; kind: string }[];
    exports(module: WebAssemblyModule): { name: string; kind: string }[];
  };
}

/** A compiled module, opaque here. */
export type WebAssemblyModule = object & { readonly __brand?: 'WebAssembly.Module' };

/** The global `WebAssembly` object, typed for the calls these tests make. */
export const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** A function signature written like `(i32, i32) -> i32`, `() -> ()`. */
export type Signature = string;

/** The function imports (`module.name`) and function exports of a module, with signatures. */
export interface ModuleSignatures {
  /** Imported functions keyed `module.name`. */
  readonly imports: ReadonlyMap<string, Signature>;
  /** Exported functions keyed by export name. */
  readonly exports: ReadonlyMap<string, Signature>;
}

const valueTypes: Readonly<Record<number, string>> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
};

/**
 * Parses the type, import, function and export sections of a WebAssembly binary — just enough
 * to give every imported and exported function its signature.
 * @param bytes The module's bytes.
 */
export function readSignatures(bytes: Uint8Array): ModuleSignatures {
  let at = 8; // past the magic and version
  const byte = (): number => {
    const value = bytes[at];
    if (value === undefined) throw new RangeError(`unexpected end of module at ${at}`);
    at += 1;
    return value;
  };
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const next = byte();
      result += (next & 0x7f) * 2 ** shift;
      if ((next & 0x80) === 0) return result;
    }
  };
  const name = (): string => {
    const length = u32();
    const text = new TextDecoder().decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const limits = (): void => {
    const flags = byte();
    u32();
    if ((flags & 1) !== 0) u32();
  };
  const valueType = (): string => valueTypes[byte()] ?? 'unknown';

  const types: Signature[] = [];
  const functionTypes: number[] = []; // type index of every function, imported ones first
  const imports = new Map<string, Signature>();
  const exports = new Map<string, Signature>();
  const signatureOf = (typeIndex: number | undefined): Signature =>
    (typeIndex === undefined ? undefined : types[typeIndex]) ?? 'unknown';

  while (at < bytes.length) {
    const id = byte();
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let count = u32(); count > 0; count -= 1) {
        if (byte() !== 0x60) throw new Error('unsupported type form');
        const params = Array.from({ length: u32() }, valueType);
        const results = Array.from({ length: u32() }, valueType);
        types.push(
          `(${params.join(', ')}) -> ${results.length === 1 ? results[0] : `(${results.join(', ')})`}`,
        );
      }
    } else if (id === 2) {
      for (let count = u32(); count > 0; count -= 1) {
        const key = `${name()}.${name()}`;
        const kind = byte();
        if (kind === 0) {
          const typeIndex = u32();
          functionTypes.push(typeIndex);
          imports.set(key, signatureOf(typeIndex));
        } else if (kind === 1) {
          byte();
          limits();
        } else if (kind === 2) {
          limits();
        } else {
          byte();
          byte();
        }
      }
    } else if (id === 3) {
      for (let count = u32(); count > 0; count -= 1) functionTypes.push(u32());
    } else if (id === 7) {
      for (let count = u32(); count > 0; count -= 1) {
        const exportName = name();
        const kind = byte();
        const index = u32();
        if (kind === 0) exports.set(exportName, signatureOf(functionTypes[index]));
      }
    }
    at = end;
  }
  return { imports, exports };
}
