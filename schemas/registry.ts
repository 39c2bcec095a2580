import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import avro from 'avsc';
import { fingerprintBytes } from './fingerprint.ts';
import type {
  Alert,
  AuthorizedRequest,
  ClearedRequest,
  DlqRecord,
  InferenceRequest,
  InferenceResult,
  Rejection,
  SanitizedRequest,
  SpanEvent,
} from './types.ts';

/** Every record type on redline's topics, by the name of its `.avsc` file. */
export interface SchemaTypes {
  InferenceRequest: InferenceRequest;
  AuthorizedRequest: AuthorizedRequest;
  SanitizedRequest: SanitizedRequest;
  ClearedRequest: ClearedRequest;
  Rejection: Rejection;
  InferenceResult: InferenceResult;
  SpanEvent: SpanEvent;
  Alert: Alert;
  DlqRecord: DlqRecord;
}
export type SchemaName = keyof SchemaTypes;
export const SCHEMA_NAMES: readonly SchemaName[] = [
  'InferenceRequest',
  'AuthorizedRequest',
  'SanitizedRequest',
  'ClearedRequest',
  'Rejection',
  'InferenceResult',
  'SpanEvent',
  'Alert',
  'DlqRecord',
];

export interface RegisteredSchema {
  name: string;
  type: avro.Type;
  /** CRC-64-AVRO of the Parsing Canonical Form, 8 bytes little-endian. */
  fingerprint: Buffer;
  /** The fingerprint as 16 hex characters: the registry's key. */
  id: string;
}

const SCHEMA_DIR = dirname(fileURLToPath(import.meta.url));

export function parseSchema(schema: unknown): RegisteredSchema {
  const type = avro.Type.forSchema(schema as avro.Schema);
  // avsc's schema() without options is the Parsing Canonical Form (no docs, defaults or aliases).
  const fingerprint = fingerprintBytes(JSON.stringify(type.schema()));
  return { name: type.name ?? String(type.typeName), type, fingerprint, id: fingerprint.toString('hex') };
}

export function loadSchemaFile(name: string, dir = SCHEMA_DIR): RegisteredSchema {
  return parseSchema(JSON.parse(readFileSync(join(dir, `${name}.avsc`), 'utf8')));
}

/** Writer schemas known to this process, by fingerprint: the current ones and any older versions registered. */
export class SchemaRegistry {
  private readonly byId = new Map<string, RegisteredSchema>();

  register(schema: RegisteredSchema): RegisteredSchema {
    this.byId.set(schema.id, schema);
    return schema;
  }

  lookup(fingerprint: Buffer): RegisteredSchema | undefined {
    return this.byId.get(fingerprint.toString('hex'));
  }
}
