// Owns reading an outbox file back into the outbox at start: pending exports in order with their origins, and every bad case of the file named.
import { copyFileSync, readFileSync } from 'node:fs';
import type { BridgeCounters } from '../bridge-status.ts';
import { BridgeError, bridgeProblem } from '../errors.ts';
import { OutboxEntry } from '../outbox.ts';
import type { Outbox } from '../outbox.ts';
import { codeOf } from './journal-lock.ts';
import { journalMagic, readJournal } from './journal-records.ts';

/** What a replay needs from its bridge. */
export interface ReplayContext {
  readonly file: string;
  readonly counters: BridgeCounters;
  /** A line for the operator. */
  readonly warn: (line: string) => void;
}

/**
 * Read the outbox file (if any) into `outbox`: its pending entries in order, as many as the
 * outbox holds; a torn tail, a corrupt record and the entries beyond the capacity are counted
 * and said once.
 *
 * @throws BridgeError `OUTBOX_FILE_UNUSABLE` (unreadable) or `OUTBOX_FILE_FOREIGN` (not an outbox file)
 */
export function replayJournal(outbox: Outbox, context: ReplayContext): void {
  const { file, counters, warn } = context;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return;
    throw new BridgeError(
      'OUTBOX_FILE_UNUSABLE',
      `Outbox file ${file}: cannot read it (${codeOf(error)}). It must be a file this process can read and write; fix that or change outboxFile.`,
    );
  }
  const contents = readJournal(bytes);
  if (contents.foreign)
    throw new BridgeError(
      'OUTBOX_FILE_FOREIGN',
      `Outbox file ${file} exists but is not an outbox file (it does not start with "${journalMagic.toString('latin1')}"); the bridge will not overwrite it. Point outboxFile at another path, or delete the file if it is not needed.`,
    );
  const { pending } = contents;
  if (contents.tornBytes > 0) {
    counters.journalErrors++;
    warn(
      bridgeProblem(
        'OUTBOX_FILE_TORN',
        `outbox file ${file}: its last record was cut short (${contents.tornBytes} bytes, a crash while it was written) and is dropped: an export accepted in the process's last event-loop turn`,
      ),
    );
  }
  if (contents.corruptAt !== undefined) {
    counters.journalErrors++;
    copyFileSync(file, `${file}.corrupt`);
    warn(
      bridgeProblem(
        'OUTBOX_FILE_CORRUPT',
        `outbox file ${file}: the record at byte ${contents.corruptAt} fails its checksum; the ${pending.length} pending exports before it are kept, the ${bytes.length - contents.corruptAt} bytes from it on are not read. The file as found is saved as ${file}.corrupt`,
      ),
    );
  }
  let kept = 0;
  for (const e of pending) {
    if (!outbox.push(new OutboxEntry(e.topic, e.payload, e.contentType, e.mid, e.origin))) break;
    kept++;
  }
  if (kept < pending.length) {
    counters.outboxFull += pending.length - kept;
    warn(
      bridgeProblem(
        'OUTBOX_FILE_OVER_CAPACITY',
        `outbox file ${file} held ${pending.length} pending exports, more than outboxCapacity (${outbox.capacity}): the oldest ${kept} are kept, the ${pending.length - kept} newest dropped (counted in outboxFull). Raise outboxCapacity to keep them all`,
      ),
    );
  }
  counters.journalled = kept;
  counters.outboxed = outbox.size;
}
