// Owns encoding the bridge's QoS 0 exports as MQTT 5 PUBLISH packets, many to one socket write.

/** MQTT 5 property identifiers the bridge writes (MQTT 5 §2.2.2.2). */
const contentTypeProperty = 0x03;
const userProperty = 0x26;

/** Size of the chunks packets are packed into; a larger packet gets a chunk of its own. */
const chunkBytes = 64 * 1024;

/** The largest remaining length MQTT can express (a four-byte variable byte integer). */
const maxRemainingLength = 268_435_455;

/** What one QoS 0 export carries onto the broker. */
export interface EncodablePublish {
  /** The broker topic (prefix + local topic). */
  readonly topic: string;
  /** The payload bytes. */
  readonly payload: Uint8Array;
  /** The MQTT 5 content type. */
  readonly contentType: string;
  /** Its id in its system: the first part of the origin property's value. */
  readonly mid: bigint;
  /** The origin after the mid, `' <run> <system>'` (usually the encoder's own). */
  readonly origin: string;
}

/**
 * Packs QoS 0 PUBLISH packets (topic, content type, the `originName` user property
 * `"<mid><runAndSystem>"`, payload; no packet identifier) into 64 KB chunks, so a batch of
 * exports leaves in a few socket writes instead of mqtt.js's several writes per packet. The
 * origin's constant part and the last topic and content type are encoded once and reused.
 */
export class PublishEncoder {
  private readonly firstByte: number;
  private readonly originName: Buffer;
  private readonly runAndSystem: Buffer;
  private readonly runAndSystemText: string;
  private lastTopic = '';
  private lastTopicBytes: Buffer = Buffer.alloc(0);
  private lastContentType = '';
  private lastContentTypeBytes: Buffer = Buffer.alloc(0);
  private chunk: Buffer = Buffer.alloc(0);
  private used = 0;
  private readonly full: Buffer[] = [];

  /**
   * @param retain - the RETAIN flag of every packet
   * @param originName - the user property's name
   * @param runAndSystem - the origin value after the mid (`' <run> <system>'`)
   */
  constructor(retain: boolean, originName: string, runAndSystem: string) {
    this.firstByte = 0x30 | (retain ? 1 : 0);
    this.originName = Buffer.from(originName, 'utf8');
    this.runAndSystem = Buffer.from(runAndSystem, 'utf8');
    this.runAndSystemText = runAndSystem;
  }

  /**
   * Encode one packet after those already added; false (nothing added) when it is larger than
   * `maxPacketBytes` (the broker's maximum packet size) or than any MQTT packet can be.
   */
  add(message: EncodablePublish, maxPacketBytes: number): boolean {
    const topic = this.topicBytes(message.topic);
    const contentType = this.contentTypeBytes(message.contentType);
    const digits = message.mid.toString();
    // An entry replayed from the outbox file keeps the origin of the run that first exported it.
    const runAndSystem =
      message.origin === this.runAndSystemText
        ? this.runAndSystem
        : Buffer.from(message.origin, 'utf8');
    const originValueLength = digits.length + runAndSystem.length;
    if (topic.length > 0xffff || contentType.length > 0xffff || originValueLength > 0xffff)
      return false;
    const { propertiesLength, remaining, total } = publishLayout(
      topic.length,
      0,
      contentType.length,
      this.originName.length,
      originValueLength,
      message.payload.length,
    );
    if (remaining > maxRemainingLength || total > maxPacketBytes) return false;
    const out = this.room(total);
    let at = this.used;
    out[at++] = this.firstByte;
    at = writeVarInt(out, at, remaining);
    at = writeBytes(out, at, topic);
    at = writeVarInt(out, at, propertiesLength);
    out[at++] = contentTypeProperty;
    at = writeBytes(out, at, contentType);
    out[at++] = userProperty;
    at = writeBytes(out, at, this.originName);
    out.writeUInt16BE(originValueLength, at);
    at += 2;
    for (let i = 0; i < digits.length; i++) out[at++] = digits.charCodeAt(i); // ASCII digits
    at += runAndSystem.copy(out, at);
    out.set(message.payload, at);
    this.used = at + message.payload.length;
    return true;
  }

  /** Every packet added since the last call, as buffers to write in order (emptied). */
  take(): Buffer[] {
    if (this.used > 0) {
      this.full.push(this.chunk.subarray(0, this.used));
      this.chunk = this.chunk.subarray(this.used);
      this.used = 0;
    }
    return this.full.splice(0);
  }

  /** The chunk to write `bytes` into at `this.used`, starting a new one when the current is full. */
  private room(bytes: number): Buffer {
    if (this.used + bytes <= this.chunk.length) return this.chunk;
    if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafeSlow(Math.max(chunkBytes, bytes));
    this.used = 0;
    return this.chunk;
  }

  private topicBytes(topic: string): Buffer {
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      this.lastTopicBytes = Buffer.from(topic, 'utf8');
    }
    return this.lastTopicBytes;
  }

  private contentTypeBytes(contentType: string): Buffer {
    if (contentType !== this.lastContentType) {
      this.lastContentType = contentType;
      this.lastContentTypeBytes = Buffer.from(contentType, 'utf8');
    }
    return this.lastContentTypeBytes;
  }
}

/**
 * The size in bytes of the PUBLISH packet that carries `message` with the origin property
 * `originName = "<mid><runAndSystem>"` at `qos` (a QoS 1 packet adds its packet identifier).
 */
export function publishPacketBytes(
  message: EncodablePublish,
  originName: string,
  runAndSystem: string,
  qos: 0 | 1,
): number {
  return publishLayout(
    Buffer.byteLength(message.topic),
    qos === 1 ? 2 : 0,
    Buffer.byteLength(message.contentType),
    Buffer.byteLength(originName),
    message.mid.toString().length + Buffer.byteLength(runAndSystem),
    message.payload.length,
  ).total;
}

/** The lengths of a PUBLISH packet with a content type and one user property, from its parts' byte lengths. */
function publishLayout(
  topicBytes: number,
  packetIdBytes: number,
  contentTypeBytes: number,
  originNameBytes: number,
  originValueBytes: number,
  payloadBytes: number,
): { propertiesLength: number; remaining: number; total: number } {
  // Content type: id + 2-byte length + bytes; user property: id + two 2-byte-length strings.
  const propertiesLength = 3 + contentTypeBytes + 5 + originNameBytes + originValueBytes;
  const remaining =
    2 +
    topicBytes +
    packetIdBytes +
    varIntLength(propertiesLength) +
    propertiesLength +
    payloadBytes;
  return { propertiesLength, remaining, total: 1 + varIntLength(remaining) + remaining };
}

function varIntLength(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : 4;
}

function writeVarInt(out: Buffer, at: number, value: number): number {
  let rest = value;
  do {
    let byte = rest % 0x80;
    rest = Math.floor(rest / 0x80);
    if (rest > 0) byte |= 0x80;
    out[at++] = byte;
  } while (rest > 0);
  return at;
}

/** A two-byte length and the bytes (an MQTT UTF-8 string whose bytes are already encoded). */
function writeBytes(out: Buffer, at: number, bytes: Buffer): number {
  out.writeUInt16BE(bytes.length, at);
  return at + 2 + bytes.copy(out, at + 2);
}
