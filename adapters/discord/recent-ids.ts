import { LRUCache } from 'lru-cache';

/** A bounded set of recently seen ids (the least recently seen forgotten first), for dropping duplicate deliveries. */
export class RecentIds {
  private readonly ids: LRUCache<string, true>;

  constructor(capacity = 5000) {
    this.ids = new LRUCache({ max: capacity });
  }

  /** Records an id; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.set(id, true);
    return true;
  }

  /** Forgets an id (its handling failed, so a redelivery may try again). */
  delete(id: string): void {
    this.ids.delete(id);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }
}
