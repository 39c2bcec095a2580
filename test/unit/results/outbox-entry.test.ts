import { describe, expect, it } from 'vitest';
import { packEntry, unpackEntry } from '../../../workers/results/outbox.ts';

describe('outbox entry packing', () => {
  it('round-trips every field, whatever bytes the record and the strings hold', () => {
    const value = Buffer.from([0x0a, 0x00, 0xff, 0x0a, 0x7b]); // newlines and a brace in the record
    const entry = {
      requestId: 'id\nwith "quotes" and \\ and ünïcödé',
      topic: 'redline.results',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'k=v\n',
      value,
    };
    const back = unpackEntry(packEntry(entry));
    expect({ ...back, value: Buffer.from(back.value) }).toEqual(entry);
  });

  it('keeps an empty record and empty trace context', () => {
    const entry = { requestId: 'r', topic: 't', traceparent: '', tracestate: '', value: Buffer.alloc(0) };
    expect(unpackEntry(packEntry(entry))).toEqual(entry);
  });
});
