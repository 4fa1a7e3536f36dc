/**
 * Disjoint sets of string keys (union-find): which keys some chain of unions joined. Iterative
 * with path compression, so a long chain costs no stack and stays near-linear.
 */
export class DisjointSets {
  private readonly parent = new Map<string, string>();

  has(key: string): boolean {
    return this.parent.has(key);
  }

  add(key: string): void {
    if (!this.parent.has(key)) this.parent.set(key, key);
  }

  /** The representative of `key`'s set (a key not seen before is a set of its own). */
  find(key: string): string {
    this.add(key);
    let root = key;
    while (this.parent.get(root) !== root) root = this.parent.get(root)!;
    while (key !== root) {
      const next = this.parent.get(key)!;
      this.parent.set(key, root);
      key = next;
    }
    return root;
  }

  /** Joins the sets of `a` and `b`; `a`'s representative stays. */
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}
