import type { DecisionResult } from './trace.ts';

/**
 * Decisions as JSON, byte for byte what `JSON.stringify` gives, but fast for large batches: the
 * engine hands out the same frozen trace entries, obligations and instrument lists again and
 * again, so each is serialised and UTF-8 encoded once, and its bytes reused.
 * (Joining cached strings instead was measured three times slower: flattening the joined string
 * costs more than copying bytes.)
 */
const encoded = new WeakMap<object, Buffer>();

function encodedPiece(o: object): Buffer {
  let b = encoded.get(o);
  if (b === undefined) {
    b = Buffer.from(JSON.stringify(o));
    if (Object.isFrozen(o)) encoded.set(o, b);
  }
  return b;
}

/** `{"key":` and `,"key":`, encoded once per key (property keys are interned: lookups are cheap) */
const keyPrefixes = new Map<string, readonly [Buffer, Buffer]>();
function keyPrefix(k: string, first: boolean): Buffer {
  let p = keyPrefixes.get(k);
  if (p === undefined) {
    p = [Buffer.from(`{${JSON.stringify(k)}:`), Buffer.from(`,${JSON.stringify(k)}:`)];
    keyPrefixes.set(k, p);
  }
  return p[first ? 0 : 1];
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const END = Buffer.from('}\n');
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const QUOTE = 0x22;
const SLAB = 1 << 16;
const EMPTY_SLAB = Buffer.alloc(0);

/** Appends decisions, one per line, into a growing buffer that the caller takes in chunks. */
export class DecisionJsonWriter {
  private buf: Buffer;
  private at = 0;
  /** where `copy` cuts answers from */
  private slab = EMPTY_SLAB;
  private slabAt = 0;

  /**
   * `alloc` makes the buffer the writer grows into: a batch worker gives shared memory, which the
   * main thread writes out without it being copied or handed over.
   */
  constructor(private readonly alloc: (n: number) => Buffer = (n) => Buffer.allocUnsafeSlow(n)) {
    this.buf = alloc(1 << 16);
  }

  /** Write from the start of `buf` (a buffer already written out), growing into a new one if need be. */
  start(buf: Buffer): void {
    this.buf = buf;
    this.at = 0;
  }

  /** The bytes written since `start`, in the buffer written into (`buf` or the one it grew into). */
  written(): Buffer {
    return this.buf.subarray(0, this.at);
  }

  get length(): number {
    return this.at;
  }

  /**
   * The bytes written so far, and a fresh start. The buffer is handed over, not copied (a batch
   * worker transfers it to the main thread), and a new one of the same size takes its place.
   */
  take(): Buffer {
    const out = this.buf.subarray(0, this.at);
    this.buf = this.alloc(this.buf.length);
    this.at = 0;
    return out;
  }

  /**
   * The bytes written so far, copied out to a part of a shared slab that is never written again,
   * and a fresh start in the same buffer: for a server that answers one decision at a time (no
   * 64 KiB buffer per answer).
   */
  copy(): Buffer {
    // answers are cut from shared slabs, as Node pools buffers under 4 KiB: most answers are
    // larger, and a memory block of its own for each costs more than writing it
    if (this.slabAt + this.at > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(SLAB, this.at));
      this.slabAt = 0;
    }
    const out = this.slab.subarray(this.slabAt, this.slabAt + this.at);
    out.set(this.buf.subarray(0, this.at));
    this.slabAt += this.at;
    this.at = 0;
    return out;
  }

  text(s: string): void {
    this.room(s.length * 3);
    this.at += this.buf.write(s, this.at);
  }

  private bytes(b: Buffer): void {
    this.room(b.length);
    // TypedArray#set, not Buffer#copy: for the many small pieces it stays in JavaScript
    this.buf.set(b, this.at);
    this.at += b.length;
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = this.alloc(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  private scalar(v: unknown): void {
    if (typeof v === 'string') this.string(v);
    else if (typeof v === 'boolean') this.bytes(v ? TRUE : FALSE);
    else if (v === null || v === undefined) this.bytes(NULL);
    else this.text(JSON.stringify(v));
  }

  /** a JSON string: plain ASCII byte by byte (most values: codes, dates, ids), else as JSON.stringify */
  private string(v: string): void {
    this.room(v.length + 2);
    const buf = this.buf;
    let at = this.at;
    buf[at++] = QUOTE;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === 0x5c) return this.text(JSON.stringify(v));
      buf[at++] = c;
    }
    buf[at++] = QUOTE;
    this.at = at;
  }

  private value(v: unknown): void {
    if (v === null || typeof v !== 'object') return this.scalar(v);
    if (!Array.isArray(v)) return this.bytes(encodedPiece(v));
    const whole = encoded.get(v);
    if (whole !== undefined) return this.bytes(whole);
    const from = this.at;
    this.bytes(OPEN);
    for (let i = 0; i < v.length; i++) {
      if (i) this.bytes(COMMA);
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') this.bytes(encodedPiece(x));
      else this.scalar(x);
    }
    this.bytes(CLOSE);
    // a frozen list (one the engine hands out again while answers repeat it) keeps its bytes
    if (Object.isFrozen(v)) encoded.set(v, Buffer.from(this.buf.subarray(from, this.at)));
  }

  /** one decision and a newline */
  decision(r: DecisionResult): void {
    let first = true;
    for (const [k, v] of Object.entries(r)) {
      if (v === undefined || typeof v === 'function') continue;
      this.bytes(keyPrefix(k, first));
      this.value(v);
      first = false;
    }
    if (first) this.text('{');
    this.bytes(END);
  }
}

/** One decision as a JSON string (what `JSON.stringify` gives). */
export function decisionJson(r: DecisionResult): string {
  const w = new DecisionJsonWriter();
  w.decision(r);
  const b = w.take();
  return b.toString('utf8', 0, b.length - 1);
}
