/**
 * A set of ids kept as 53-bit numbers in one typed array (open addressing): a million ids cost
 * 16 MB and nothing for the garbage collector to walk, where a Set of strings or numbers costs
 * several times that and slows every collection of a long import. It can answer "maybe" for an id
 * never added (about one in ten million at a million ids), never "no" for one that was: callers
 * check a "maybe" against the store.
 */
export class IdFilter {
  private slots = new Float64Array(1 << 16);
  private count = 0;

  /** the number standing for `id` (two FNV-1a passes over its UTF-16 units), never 0 */
  static numberOf(id: string): number {
    let a = 0x811c9dc5;
    let b = 0x01000193;
    for (let i = 0; i < id.length; i++) {
      const c = id.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
    }
    return (a >>> 0) * 0x200000 + (b >>> 11) + 1;
  }

  get size(): number {
    return this.count;
  }

  has(n: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = n % mask; ; i = (i + 1) & mask) {
      const s = this.slots[i]!;
      if (s === n) return true;
      if (s === 0) return false;
    }
  }

  add(n: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    if (this.place(this.slots, n)) this.count++;
  }

  private place(slots: Float64Array, n: number): boolean {
    const mask = slots.length - 1;
    for (let i = n % mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === n) return false;
      if (s === 0) {
        slots[i] = n;
        return true;
      }
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    for (const n of old) if (n !== 0) this.place(this.slots, n);
  }
}
