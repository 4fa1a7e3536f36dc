/**
 * `--shard i/n`: which deployment units one of n parallel jobs evaluates. A unit belongs to a
 * shard by a hash of its id (ids are made of paths: "helm:charts/es#values-prod.yaml"), so the
 * split is deterministic, independent of the machine and of file order, and adding a unit moves
 * few others. Units that read a common file (two overlays of one base, two roots calling one
 * module) are kept in one shard: a file's findings then all come from one shard, so their
 * fingerprints (numbered among equal findings of a file) are the unsharded run's, and the
 * shards' findings are disjoint. Loose findings (files no unit reads) go by their file.
 */
import { DisjointSets } from '../core/disjoint-sets.js';

export interface Shard {
  /** 1-based, as written on the command line. */
  index: number;
  count: number;
}

/** FNV-1a, 32 bits: small, stable across Node versions and platforms. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function inShard(key: string, shard: Shard | undefined): boolean {
  if (!shard || shard.count <= 1) return true;
  return hash(key) % shard.count === shard.index - 1;
}

/** "2/4" -> { index: 2, count: 4 }; undefined when malformed. */
export function parseShard(text: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * The shard key of every unit and of every file a unit reads: the smallest unit id of its
 * group of units connected by shared files. Files no unit reads are their own key.
 */
export function shardKeys(units: readonly { id: string; files: readonly string[] }[]): { unit: (id: string) => string; file: (path: string) => string } {
  const sets = new DisjointSets();
  const unitNode = (id: string) => `u\u0000${id}`;
  const fileNode = (file: string) => `f\u0000${file}`;
  for (const unit of units) {
    sets.add(unitNode(unit.id));
    for (const file of unit.files) sets.union(unitNode(unit.id), fileNode(file));
  }
  // A group's key: its smallest unit id (whatever node union-find made its root).
  const smallest = new Map<string, string>();
  for (const unit of units) {
    const root = sets.find(unitNode(unit.id));
    const known = smallest.get(root);
    if (known === undefined || unit.id < known) smallest.set(root, unit.id);
  }
  return {
    unit: (id) => smallest.get(sets.find(unitNode(id))) ?? id,
    file: (path) => (sets.has(fileNode(path)) ? smallest.get(sets.find(fileNode(path)))! : path),
  };
}
