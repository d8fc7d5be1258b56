import { Packr } from 'msgpackr';

/** Turns values into bytes and back (§11). Required for L2 and for auto-clone. */
export interface Serializer {
  /** Encodes a value. */
  serialize(value: unknown): Uint8Array;
  /** Decodes bytes written by `serialize`. */
  deserialize(bytes: Uint8Array): unknown;
}

/** JSON serializer (§11): class instances come back as plain objects. */
export class JsonSerializer implements Serializer {
  serialize(value: unknown): Uint8Array {
    const json = value === undefined ? 'null' : JSON.stringify(value);
    if (json === undefined) throw new TypeError(`value of type ${typeof value} is not JSON-serializable`);
    return Buffer.from(json, 'utf8');
  }

  deserialize(bytes: Uint8Array): unknown {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  }
}

/** MessagePack serializer (msgpackr): smaller and faster than JSON; keeps `Date`, `Map`, `Set`, typed arrays. */
export class MsgpackSerializer implements Serializer {
  readonly #packr = new Packr({ useRecords: false, moreTypes: true });

  serialize(value: unknown): Uint8Array {
    return this.#packr.pack(value);
  }

  deserialize(bytes: Uint8Array): unknown {
    return this.#packr.unpack(bytes);
  }
}
