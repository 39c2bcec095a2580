import type avro from 'avsc';

// A bounds-checked walk over an Avro body before avsc decodes it. avsc trusts a block count or a
// length it reads and checks the buffer's end only afterwards: a forged count of 2^30 zero-byte
// items makes it allocate and loop over a billion items (the process runs out of memory), so one
// poison message could kill a stage. Hand-written because avsc has no limit option. Every count
// and length is checked against the bytes left, so the walk costs O(bytes) at most.

class Truncated extends Error {}

const MAX_NULL_ITEMS = 1_000_000;

interface Cursor {
  buf: Buffer;
  pos: number;
}

function left(c: Cursor): number {
  return c.buf.length - c.pos;
}

/** A zig-zag varint long, refusing one that runs past the buffer or past 64 bits. */
function readLong(c: Cursor): number {
  let n = 0;
  let shift = 1;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.buf.length) throw new Truncated('varint runs past the end');
    const b = c.buf[c.pos++]!;
    n += (b & 0x7f) * shift;
    if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
    shift *= 128;
  }
  throw new Truncated('varint longer than 10 bytes');
}

function skip(c: Cursor, bytes: number): void {
  if (bytes < 0 || bytes > left(c)) throw new Truncated('a length runs past the end');
  c.pos += bytes;
}

interface TypeShape {
  typeName: string;
  itemsType?: TypeShape;
  valuesType?: TypeShape;
  types?: TypeShape[];
  fields?: Array<{ type: TypeShape }>;
  size?: number;
  symbols?: string[];
  underlyingType?: TypeShape;
}

/** How many bytes a value of each fixed-size primitive takes. */
const FIXED_SIZE: Record<string, number> = { null: 0, boolean: 1, float: 4, double: 8 };

function walk(t: TypeShape, c: Cursor): void {
  const name = t.typeName;
  if (name in FIXED_SIZE) skip(c, FIXED_SIZE[name]!);
  else if (name === 'int' || name === 'long') readLong(c);
  else if (name === 'string' || name === 'bytes') skip(c, readLong(c));
  else if (name === 'fixed') skip(c, t.size ?? 0);
  else if (name === 'enum') {
    const i = readLong(c);
    if (i < 0 || i >= (t.symbols?.length ?? 0)) throw new Truncated('enum index out of range');
  } else if (name === 'record' || name === 'error') {
    for (const f of t.fields ?? []) walk(f.type, c);
  } else if (name === 'array' || name === 'map') blocks(t, c);
  else if (name.startsWith('union')) {
    const branch = t.types?.[readLong(c)];
    if (!branch) throw new Truncated('union branch out of range');
    walk(branch, c);
  } else if (t.underlyingType) walk(t.underlyingType, c);
  else throw new Truncated(`unsupported type ${name}`);
}

function blocks(t: TypeShape, c: Cursor): void {
  for (;;) {
    let n = readLong(c);
    if (n === 0) return;
    if (n < 0) {
      n = -n;
      readLong(c); // the block's size in bytes
    }
    // Every item or map entry takes at least one byte, so a larger count is impossible; items of
    // type null take none, so their count is capped instead.
    const limit = t.typeName === 'array' && t.itemsType?.typeName === 'null' ? MAX_NULL_ITEMS : left(c);
    if (n > limit) throw new Truncated('block count exceeds the bytes left');
    for (let i = 0; i < n; i++) {
      if (t.typeName === 'map') skip(c, readLong(c));
      walk((t.typeName === 'map' ? t.valuesType : t.itemsType)!, c);
    }
  }
}

/** Throws when the body cannot be a well-formed encoding of `type` (lengths past the end, bad indices). */
export function assertWellFormed(type: avro.Type, body: Buffer): void {
  const c: Cursor = { buf: body, pos: 0 };
  walk(type as unknown as TypeShape, c);
  if (c.pos !== body.length) throw new Truncated('trailing bytes');
}

export { Truncated as MalformedBody };
