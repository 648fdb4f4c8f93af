import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../src/wire/frame-reader.js';
import { ProtocolError } from '../../src/wire/protocol.js';

function frame(length: number, fill: number): Buffer {
  const b = Buffer.alloc(length, fill);
  b.writeInt32LE(length, 0);
  return b;
}

function drain(reader: FrameReader): Buffer[] {
  const out: Buffer[] = [];
  for (let f = reader.next(); f; f = reader.next()) out.push(f);
  return out;
}

describe('FrameReader', () => {
  it('returns nothing until the 4-byte length is complete, even if split across chunks', () => {
    const r = new FrameReader(1000);
    const f = frame(20, 7);
    r.push(f.subarray(0, 1));
    r.push(f.subarray(1, 3));
    expect(r.next()).toBeNull();
    r.push(f.subarray(3, 19));
    expect(r.next()).toBeNull();
    r.push(f.subarray(19));
    expect(r.next()).toEqual(f);
    expect(r.pendingBytes).toBe(0);
  });

  it('splits several frames out of one chunk and keeps the remainder', () => {
    const r = new FrameReader(1000);
    const a = frame(16, 1);
    const b = frame(30, 2);
    const c = frame(25, 3);
    r.push(Buffer.concat([a, b, c.subarray(0, 10)]));
    expect(drain(r)).toEqual([a, b]);
    expect(r.pendingBytes).toBe(10);
    r.push(c.subarray(10));
    expect(drain(r)).toEqual([c]);
  });

  it('reassembles every possible two-way and byte-wise split identically', () => {
    const frames = [frame(16, 9), frame(40, 8), frame(17, 6)];
    const all = Buffer.concat(frames);
    for (let cut = 0; cut <= all.length; cut++) {
      const r = new FrameReader(1000);
      r.push(all.subarray(0, cut));
      const got = drain(r);
      r.push(all.subarray(cut));
      expect([...got, ...drain(r)]).toEqual(frames);
    }
    const r = new FrameReader(1000);
    const got: Buffer[] = [];
    for (const byte of all) {
      r.push(Buffer.from([byte]));
      got.push(...drain(r));
    }
    expect(got).toEqual(frames);
  });

  it('rejects bad lengths as soon as they are known, before the body arrives', () => {
    for (const bad of [0, 15, -1, 1001, 0x7fffffff]) {
      const r = new FrameReader(1000);
      const head = Buffer.alloc(4);
      head.writeInt32LE(bad);
      r.push(head);
      expect(() => r.next()).toThrow(ProtocolError);
    }
    const ok = new FrameReader(1000);
    ok.push(frame(1000, 0));
    expect(ok.next()?.length).toBe(1000);
  });

  it('reassembles a large frame from many chunks in linear time', () => {
    const size = 8 * 1024 * 1024;
    const big = frame(size, 5);
    const r = new FrameReader(48_000_000);
    const t0 = performance.now();
    const out: Buffer[] = [];
    for (let off = 0; off < size; off += 1024) {
      r.push(big.subarray(off, off + 1024));
      out.push(...drain(r));
    }
    expect(out).toHaveLength(1);
    expect(out[0].equals(big)).toBe(true);
    // 8192 chunks: quadratic concatenation would copy ~32 GB; linear is ~8 MB.
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
