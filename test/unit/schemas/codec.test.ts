import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../infra/random.ts';
import { isRedlineError } from '../../../pipeline/errors.ts';
import { Codec, codecFor } from '../../../schemas/codec.ts';
import { loadSchemaFile, parseSchema, SCHEMA_NAMES, SchemaRegistry } from '../../../schemas/registry.ts';
import { makeRequest } from '../../helpers/requests.ts';

const v1 = {
  type: 'record',
  name: 'Ping',
  namespace: 'test',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'count', type: 'int' },
  ],
};
const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: 'string', default: 'none' }] };

describe('single-object codec', () => {
  it('round-trips every schema of the flow and frames it as C3 01 + fingerprint + body', () => {
    for (const name of SCHEMA_NAMES) expect(loadSchemaFile(name).fingerprint).toHaveLength(8);
    const request = makeRequest({ priorityHint: 'batch', slots: { a: 'b' }, batchId: 'b1', batchIndex: 3 });
    const codec = codecFor('InferenceRequest');
    const frame = codec.encode(request);
    expect([...frame.subarray(0, 2)]).toEqual([0xc3, 0x01]);
    expect(frame.subarray(2, 10)).toEqual(codec.reader.fingerprint);
    expect({ ...codec.decode(frame), parameters: { ...codec.decode(frame).parameters } }).toEqual(request);
  });

  it('rejects trailing bytes, truncation, bad magic and unknown schemas with coded errors', () => {
    const codec = codecFor('InferenceRequest');
    const frame = codec.encode(makeRequest());
    const code = (buf: Buffer | null) => {
      try {
        codec.decode(buf);
        return 'decoded';
      } catch (err) {
        return isRedlineError(err) ? err.code : 'uncoded';
      }
    };
    expect(code(Buffer.concat([frame, Buffer.from([0])]))).toBe('DECODE_FAILED');
    expect(code(frame.subarray(0, frame.length - 1))).toBe('DECODE_FAILED');
    expect(code(frame.subarray(0, 5))).toBe('DECODE_FAILED');
    expect(code(null)).toBe('DECODE_FAILED');
    expect(code(Buffer.concat([Buffer.from([0xc3, 0x02]), frame.subarray(2)]))).toBe('DECODE_FAILED');
    const unknown = Buffer.from(frame);
    unknown[5] = (unknown[5] ?? 0) ^ 0xff;
    expect(code(unknown)).toBe('SCHEMA_UNKNOWN');
  });

  it('reads v1 records with a v2 reader (added field takes its default) and v2 records with a v1 reader', () => {
    const registry = new SchemaRegistry();
    const writer1 = new Codec<{ id: string; count: number }>(parseSchema(v1), registry);
    const writer2 = new Codec<{ id: string; count: number; note: string }>(parseSchema(v2), registry);
    const reader2 = new Codec<{ id: string; count: number; note: string }>(parseSchema(v2), registry);
    const reader1 = new Codec<{ id: string; count: number }>(parseSchema(v1), registry);
    expect({ ...reader2.decode(writer1.encode({ id: 'a', count: 1 })) }).toEqual({
      id: 'a',
      count: 1,
      note: 'none',
    });
    expect({ ...reader1.decode(writer2.encode({ id: 'b', count: 2, note: 'x' })) }).toEqual({
      id: 'b',
      count: 2,
    });
  });

  it('refuses to resolve incompatible writer schemas with SCHEMA_INCOMPATIBLE', () => {
    const registry = new SchemaRegistry();
    const writer = new Codec<{ id: number }>(
      parseSchema({
        type: 'record',
        name: 'Ping',
        namespace: 'test',
        fields: [{ name: 'id', type: 'boolean' }],
      }),
      registry,
    );
    const reader = new Codec(parseSchema(v1), registry);
    expect(() => reader.decode(writer.encode({ id: true } as never))).toThrow(
      expect.objectContaining({ code: 'SCHEMA_INCOMPATIBLE' }),
    );
  });

  it('refuses a block count larger than the bytes left instead of looping on it (a denial of service)', () => {
    const registry = new SchemaRegistry();
    const schema = {
      type: 'record',
      name: 'Blocks',
      namespace: 'test',
      fields: [
        { name: 'xs', type: { type: 'array', items: 'null' } },
        { name: 's', type: 'string' },
      ],
    };
    const codec = new Codec<{ xs: null[]; s: string }>(parseSchema(schema), registry);
    const frame = codec.encode({ xs: [null], s: 'ok' });
    // Header, then a zig-zag varint block count of 2^30 items of null (zero bytes each), then
    // nothing: avsc would allocate and loop over a billion items (seconds of CPU, gigabytes).
    const huge = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x08]);
    const forged = Buffer.concat([frame.subarray(0, 10), huge, Buffer.from([0x00, 0x00])]);
    expect(() => codec.decode(forged)).toThrow(expect.objectContaining({ code: 'DECODE_FAILED' }));
    // A string length beyond the frame is refused the same way.
    const longString = Buffer.concat([
      frame.subarray(0, 10),
      Buffer.from([0x00, 0xfe, 0xff, 0xff, 0xff, 0x0f]),
    ]);
    expect(() => codec.decode(longString)).toThrow(expect.objectContaining({ code: 'DECODE_FAILED' }));
  });

  it.each([1, 2, 3])(
    'never throws anything but its own coded errors on 10,000 random byte strings (seed %i)',
    (seed) => {
      const rng = mulberry32(seed);
      const randomBytes = (n: number) =>
        Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
      const codec = codecFor('InferenceRequest');
      const frame = codec.encode(makeRequest());
      const allowed = new Set(['DECODE_FAILED', 'SCHEMA_UNKNOWN', 'SCHEMA_INCOMPATIBLE']);
      let decoded = 0;
      for (let i = 0; i < 10_000; i++) {
        // Half fully random, half a valid header with a random or mutated body (reaches the Avro decoder).
        let buf: Buffer;
        if (i % 2 === 0) buf = randomBytes(i % 200);
        else if (i % 4 === 1) buf = Buffer.concat([frame.subarray(0, 10), randomBytes(i % 300)]);
        else {
          buf = Buffer.from(frame);
          for (let k = 0; k < 3; k++) buf[10 + ((i * 7 + k * 13) % (buf.length - 10))] = randomBytes(1)[0]!;
        }
        try {
          codec.decode(buf);
          decoded++;
        } catch (err) {
          if (!isRedlineError(err) || !allowed.has(err.code)) throw err;
        }
      }
      expect(decoded).toBeLessThan(10_000);
    },
  );
});
