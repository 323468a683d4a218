/** Time is a dependency: the core never calls Date.now() itself. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock tests move by hand. */
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
