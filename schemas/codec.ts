import type avro from 'avsc';
import { RedlineError } from '../pipeline/errors.ts';
import { assertWellFormed } from './guard.ts';
import {
  loadSchemaFile,
  type RegisteredSchema,
  SCHEMA_NAMES,
  type SchemaName,
  SchemaRegistry,
  type SchemaTypes,
} from './registry.ts';

// Avro single-object encoding: C3 01, the writer schema's 8-byte CRC-64-AVRO fingerprint, then
// the binary body. Decoding is strict: an unknown fingerprint is SCHEMA_UNKNOWN; a short frame,
// truncated body or trailing bytes are DECODE_FAILED. Nothing else ever escapes.

const MAGIC = Buffer.from([0xc3, 0x01]);
const HEADER_LENGTH = 10;

export class Codec<T> {
  private readonly resolvers = new Map<string, avro.Resolver>();

  constructor(
    readonly reader: RegisteredSchema,
    private readonly registry: SchemaRegistry,
  ) {
    registry.register(reader);
  }

  encode(value: T): Buffer {
    let body: Buffer;
    try {
      body = this.reader.type.toBuffer(value);
    } catch (err) {
      throw new RedlineError('ENCODE_FAILED', `cannot encode ${this.reader.name}: ${(err as Error).message}`);
    }
    return Buffer.concat([MAGIC, this.reader.fingerprint, body]);
  }

  decode(frame: Buffer | null | undefined): T {
    if (!frame || frame.length < HEADER_LENGTH || frame[0] !== MAGIC[0] || frame[1] !== MAGIC[1]) {
      throw new RedlineError('DECODE_FAILED', 'not an Avro single-object frame');
    }
    const fingerprint = frame.subarray(2, HEADER_LENGTH);
    const writer = this.registry.lookup(fingerprint);
    if (!writer) {
      throw new RedlineError('SCHEMA_UNKNOWN', `unknown writer schema ${fingerprint.toString('hex')}`);
    }
    const body = frame.subarray(HEADER_LENGTH);
    try {
      assertWellFormed(writer.type, body);
      if (writer.id === this.reader.id) return this.reader.type.fromBuffer(body) as T;
      return this.reader.type.fromBuffer(body, this.resolverFor(writer)) as T;
    } catch (err) {
      if (err instanceof RedlineError) throw err;
      throw new RedlineError('DECODE_FAILED', `cannot decode ${this.reader.name}: ${(err as Error).message}`);
    }
  }

  private resolverFor(writer: RegisteredSchema): avro.Resolver {
    let resolver = this.resolvers.get(writer.id);
    if (!resolver) {
      try {
        resolver = this.reader.type.createResolver(writer.type);
      } catch (err) {
        throw new RedlineError(
          'SCHEMA_INCOMPATIBLE',
          `${writer.name} ${writer.id} cannot be read as ${this.reader.name}: ${(err as Error).message}`,
        );
      }
      this.resolvers.set(writer.id, resolver);
    }
    return resolver;
  }
}

export type Codecs = { [K in SchemaName]: Codec<SchemaTypes[K]> };

let shared: Codecs | undefined;

/** The codecs of the current schemas, built once per process. */
export function codecs(): Codecs {
  if (!shared) {
    const registry = new SchemaRegistry();
    shared = Object.fromEntries(
      SCHEMA_NAMES.map((name) => [name, new Codec(loadSchemaFile(name), registry)]),
    ) as unknown as Codecs;
  }
  return shared;
}

export function codecFor<K extends SchemaName>(name: K): Codec<SchemaTypes[K]> {
  return codecs()[name];
}
