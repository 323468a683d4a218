import type { Clock } from '../../src/core/clock.ts';

/** A clock moved by hand: tests, and the demo's compressed day. */
export class FakeClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(at: number): void {
    this.current = at;
  }
  advance(ms: number): number {
    this.current += ms;
    return this.current;
  }
}
