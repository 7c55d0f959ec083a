/**
 * The most recently used few values, for what pages compute from data that never changes once
 * loaded (a published edition, the law on a date): a read refreshes an entry, and past `size`
 * the least recently used goes.
 */
export class RecentCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly size: number) {}

  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // a Map keeps insertion order: re-inserting makes it the most recent
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }
}
