/** A bounded set of recently seen ids (oldest forgotten first), for dropping duplicate deliveries. */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 5000) {}

  /** Records an id; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
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
