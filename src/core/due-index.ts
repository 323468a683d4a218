/**
 * The due-time index: the earliest pending alert of each issue, in a binary min-heap with lazy deletion.
 * Peeking costs O(1), so a tick with nothing due does no work however many issues are open.
 */
export class DueIndex {
  private readonly heap: { at: number; id: string }[] = [];
  private readonly current = new Map<string, number>();

  get size(): number {
    return this.current.size;
  }

  /** Sets (or clears, with `undefined`) when an issue next needs attention. */
  set(id: string, at: number | undefined): void {
    if (at === undefined) {
      this.current.delete(id);
      return;
    }
    if (this.current.get(id) === at) return;
    this.current.set(id, at);
    this.push({ at, id });
  }

  /** The earliest live entry's time, discarding stale heap entries on the way. */
  peek(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the ids due at or before `now`. */
  takeDue(now: number): string[] {
    const out: string[] = [];
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (!top || top.at > now) return out;
      this.pop();
      this.current.delete(top.id);
      out.push(top.id);
    }
  }

  private dropStale(): void {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.current.get(top.id) === top.at) return;
      this.pop();
    }
  }

  private push(entry: { at: number; id: string }): void {
    const heap = this.heap;
    heap.push(entry);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[index] = heap[parent]!;
      index = parent;
    }
    heap[index] = entry;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
}
