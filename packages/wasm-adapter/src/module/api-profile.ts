// Owns recognising which Ocre API a module is written against (the 2025 messaging API or Ocre's current one) from its `env` imports.
import { currentImportSignatures } from '../current-api/signatures.ts';
import { WasmLoadError } from '../errors.ts';
import { ocreImportModule, ocreImportSignatures } from './host-imports.ts';
import type { ModuleImport } from './module-binary.ts';

/**
 * The Ocre API a container is written against: `2025` is the seed's messaging API
 * (`messaging.h`: handlers by name, called by the host); `current` is Ocre's current SDK
 * (`ocre_api.h`: prefix subscriptions, timers, the container polls events).
 */
export type ApiProfile = '2025' | 'current';

/** Which API a module uses, and the imports that showed it. */
export interface RecognisedApi {
  readonly profile: ApiProfile;
  /**
   * The `env` imports only that API has (`module.name signature`). Empty when the module uses
   * only imports both APIs share (`ocre_sleep`, `ocre_publish_message`) or none: such a module
   * is taken as `2025`, the seed's API.
   */
  readonly evidence: readonly string[];
}

const describeImport = (entry: ModuleImport): string =>
  `${entry.module}.${entry.name} ${entry.signature ?? ''}`.trimEnd();

/**
 * Recognises a module's API from its `env` function imports (other modules' imports are
 * ignored here): an import with a signature only the 2025 API has (`ocre_msg_system_init`,
 * two-argument `ocre_subscribe_message`) or only the current API has (`ocre_get_event`,
 * one-argument `ocre_subscribe_message`, timers, sensors, GPIO, `uname`…) decides.
 *
 * @param imports - the module's imports, as `readModuleLayout` lists them
 * @param label - the module as the user named it, for messages
 * @throws WasmLoadError `MIXED_API` naming the imports of each API when a module uses both;
 *   `IMPORT_SIGNATURE_MISMATCH` for a known name with a signature neither API has;
 *   `UNKNOWN_IMPORT` for a name neither API has
 * @example
 * recogniseApi(readModuleLayout(bytes).imports, 'app.wasm').profile; // 'current'
 */
export function recogniseApi(imports: readonly ModuleImport[], label: string): RecognisedApi {
  const only2025: string[] = [];
  const onlyCurrent: string[] = [];
  for (const entry of imports) {
    if (entry.module !== ocreImportModule) continue;
    const in2025 =
      entry.kind === 'function' && ocreImportSignatures[entry.name] === entry.signature;
    const inCurrent =
      entry.kind === 'function' && currentImportSignatures[entry.name] === entry.signature;
    if (in2025 && !inCurrent) only2025.push(describeImport(entry));
    else if (inCurrent && !in2025) onlyCurrent.push(describeImport(entry));
    else if (!in2025 && !inCurrent) throw unprovided(entry, label);
  }
  if (only2025.length > 0 && onlyCurrent.length > 0) {
    throw new WasmLoadError(
      'MIXED_API',
      label,
      `${label}: mixes the two Ocre APIs: it imports ${only2025.join(', ')} from the 2025 API (messaging.h) and ${onlyCurrent.join(', ')} from Ocre's current API (ocre_api.h). Build each container against one header: messaging.h or ocre_api.h.`,
    );
  }
  return onlyCurrent.length > 0
    ? { profile: 'current', evidence: onlyCurrent }
    : { profile: '2025', evidence: only2025 };
}

function unprovided(entry: ModuleImport, label: string): WasmLoadError {
  const { module, name, kind, signature } = entry;
  const in2025 = ocreImportSignatures[name];
  const inCurrent = currentImportSignatures[name];
  const expected =
    in2025 !== undefined && in2025 === inCurrent
      ? [`${in2025} (messaging.h and ocre_api.h)`]
      : [
          ...(in2025 === undefined ? [] : [`${in2025} (messaging.h)`]),
          ...(inCurrent === undefined ? [] : [`${inCurrent} (ocre_api.h)`]),
        ];
  if (kind === 'function' && expected.length > 0) {
    return new WasmLoadError(
      'IMPORT_SIGNATURE_MISMATCH',
      label,
      `${label}: imports ${module}.${name} as ${signature ?? 'unknown'}, but the host provides ${expected.join(' or ')}; declare it as in the header`,
    );
  }
  const what = kind === 'function' ? '' : ` (a ${kind})`;
  const api2025 = Object.entries(ocreImportSignatures)
    .map(([known, knownSignature]) => `${module}.${known} ${knownSignature}`)
    .join(', ');
  return new WasmLoadError(
    'UNKNOWN_IMPORT',
    label,
    `${label}: imports ${module}.${name}${what}, which the Ocre host does not provide. A container may import ${api2025} (the 2025 API, messaging.h); or the ${Object.keys(currentImportSignatures).length} imports of Ocre's current API (ocre_api.h: ${module}.ocre_get_event, ${module}.ocre_timer_*, ${module}.ocre_sensors_*, ${module}.ocre_gpio_*, ${module}.uname…); and the WASI preview1 functions (wasi_snapshot_preview1.*). Check the name, or include messaging.h or ocre_api.h from the Ocre SDK instead of declaring imports by hand.`,
  );
}
