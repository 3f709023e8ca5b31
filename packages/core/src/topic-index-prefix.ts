// Owns the prefix-mode store of the topic index: a radix tree over pattern characters, so a match walks the topic once.
import { FoundBuckets, SubscriberBucket } from './topic-index-bucket.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';

/** A radix-tree node: the characters on the edge from its parent and the patterns ending here. */
interface RadixNode<TSubscriber> {
  label: string;
  /** Children keyed by the first UTF-16 code unit of their label. */
  children: Map<number, RadixNode<TSubscriber>> | undefined;
  bucket: SubscriberBucket<TSubscriber> | undefined;
}

/**
 * Creates the store for `prefix` mode. Patterns live in a radix tree (edges labelled with
 * character runs), so `match` costs time proportional to the topic's length, not to the number
 * of subscriptions: every node passed on the topic's path is a matching prefix.
 */
export function createPrefixStore<TSubscriber>(): PatternStore<TSubscriber> {
  const root: RadixNode<TSubscriber> = { label: '', children: undefined, bucket: undefined };
  const found = new FoundBuckets<TSubscriber>();

  function add(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    let node = root;
    let pos = 0;
    while (pos < pattern.length) {
      const code = pattern.charCodeAt(pos);
      const child = node.children?.get(code);
      if (child === undefined) {
        const leaf: RadixNode<TSubscriber> = {
          label: pattern.slice(pos),
          children: undefined,
          bucket: new SubscriberBucket(),
        };
        leaf.bucket?.insert(entry);
        (node.children ??= new Map()).set(code, leaf);
        return;
      }
      const common = commonPrefixLength(child.label, pattern, pos);
      if (common < child.label.length) {
        // Split the edge in place: the parent's key (first code unit) stays valid.
        const lower: RadixNode<TSubscriber> = {
          label: child.label.slice(common),
          children: child.children,
          bucket: child.bucket,
        };
        child.label = child.label.slice(0, common);
        child.children = new Map([[lower.label.charCodeAt(0), lower]]);
        child.bucket = undefined;
      }
      node = child;
      pos += common;
    }
    (node.bucket ??= new SubscriberBucket()).insert(entry);
  }

  function remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    const path: RadixNode<TSubscriber>[] = [root];
    let node = root;
    let pos = 0;
    while (pos < pattern.length) {
      const child = node.children?.get(pattern.charCodeAt(pos));
      if (child === undefined || !pattern.startsWith(child.label, pos)) return;
      node = child;
      pos += child.label.length;
      path.push(node);
    }
    if (node.bucket?.delete(entry) !== true) return;
    if (node.bucket.size === 0) node.bucket = undefined;
    prune(path);
  }

  function match(topic: string): readonly TSubscriber[] {
    let node = root;
    let pos = 0;
    while (pos < topic.length) {
      const child = node.children?.get(topic.charCodeAt(pos));
      if (child === undefined || !topic.startsWith(child.label, pos)) break;
      node = child;
      pos += child.label.length;
      const bucket = node.bucket;
      if (bucket !== undefined) found.add(bucket, bucket.subscribers());
    }
    return found.take();
  }

  return { add, remove, match };
}

/** Drops empty nodes and merges pass-through nodes bottom-up, keeping the tree compact. */
function prune<TSubscriber>(path: readonly RadixNode<TSubscriber>[]): void {
  for (let i = path.length - 1; i >= 1; i--) {
    const node = path[i];
    const parent = path[i - 1];
    if (node === undefined || parent === undefined || node.bucket !== undefined) return;
    const children = node.children;
    if (children === undefined || children.size === 0) {
      parent.children?.delete(node.label.charCodeAt(0));
      if (parent.children?.size === 0) parent.children = undefined;
      continue;
    }
    if (children.size === 1) {
      const [only] = children.values();
      if (only !== undefined) {
        node.label += only.label;
        node.children = only.children;
        node.bucket = only.bucket;
      }
    }
    return;
  }
}

function commonPrefixLength(label: string, pattern: string, offset: number): number {
  const max = Math.min(label.length, pattern.length - offset);
  let i = 0;
  while (i < max && label.charCodeAt(i) === pattern.charCodeAt(offset + i)) i++;
  return i;
}
