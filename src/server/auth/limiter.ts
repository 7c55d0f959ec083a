/**
 * Login rate limiting: failed attempts counted per address and user name, and per address alone,
 * in a sliding window. Only failures count, so a clerk who types the password right is never
 * locked out by a neighbour's mistakes; a success clears that name's count.
 */
export interface LimiterOptions {
  /** failures allowed per address and user name in the window */
  perUser?: number;
  /** failures allowed per address in the window (all names) */
  perAddress?: number;
  windowMs?: number;
}

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly perUser: number;
  private readonly perAddress: number;
  private readonly windowMs: number;

  constructor(o: LimiterOptions = {}) {
    this.perUser = o.perUser ?? 5;
    this.perAddress = o.perAddress ?? 20;
    this.windowMs = o.windowMs ?? 15 * 60_000;
  }

  private recent(key: string, now: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (kept.length) this.failures.set(key, kept);
    else this.failures.delete(key);
    return kept;
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
  retryAfter(ip: string, name: string, now = Date.now()): number {
    const user = this.recent(`${ip}|${name.toLowerCase()}`, now);
    const addr = this.recent(ip, now);
    const wait = (list: number[], max: number) =>
      list.length >= max ? Math.ceil((list[list.length - max]! + this.windowMs - now) / 1000) : 0;
    return Math.max(wait(user, this.perUser), wait(addr, this.perAddress));
  }

  fail(ip: string, name: string, now = Date.now()): void {
    for (const key of [`${ip}|${name.toLowerCase()}`, ip]) {
      this.failures.set(key, [...this.recent(key, now), now]);
    }
    // the map never grows without bound: old keys go when the map gets large
    if (this.failures.size > 10_000) for (const k of [...this.failures.keys()]) this.recent(k, now);
  }

  succeed(ip: string, name: string): void {
    this.failures.delete(`${ip}|${name.toLowerCase()}`);
  }
}
