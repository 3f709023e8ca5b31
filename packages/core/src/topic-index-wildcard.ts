// Owns the wildcard-mode store of the topic index: a trie over topic levels with `+` and `#` branches.
import { SubscriberBucket, mergeBuckets } from './topic-index-bucket.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';

/** A trie node standing for a sequence of pattern levels. */
interface LevelNode<TSubscriber> {
  /** Children for literal levels. */
  literal: Map<string, LevelNode<TSubscriber>> | undefined;
  /** Child for a `+` level. */
  plus: LevelNode<TSubscriber> | undefined;
  /** Patterns ending exactly here. */
  here: SubscriberBucket<TSubscriber> | undefined;
  /** Patterns ending here with a `#` level: they match this node and everything below it. */
  rest: SubscriberBucket<TSubscriber> | undefined;
}

function createNode<TSubscriber>(): LevelNode<TSubscriber> {
  return { literal: undefined, plus: undefined, here: undefined, rest: undefined };
}

function isEmpty(node: LevelNode<unknown>): boolean {
  return (
    node.here === undefined &&
    node.rest === undefined &&
    node.plus === undefined &&
    (node.literal === undefined || node.literal.size === 0)
  );
}

/**
 * Creates the store for `wildcard` mode. A match walks the topic's levels, following the literal
 * child and the `+` child at each level and collecting `#` buckets on the way, so its cost
 * depends on the topic and on the wildcards that fit it, not on the number of subscriptions.
 */
export function createWildcardStore<TSubscriber>(): PatternStore<TSubscriber> {
  const root = createNode<TSubscriber>();

  function add(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    let node = root;
    for (const level of pattern.split('/')) {
      if (level === '#') {
        (node.rest ??= new SubscriberBucket()).insert(entry);
        return;
      }
      if (level === '+') {
        node = node.plus ??= createNode();
      } else {
        const literal = (node.literal ??= new Map<string, LevelNode<TSubscriber>>());
        let child = literal.get(level);
        if (child === undefined) literal.set(level, (child = createNode()));
        node = child;
      }
    }
    (node.here ??= new SubscriberBucket()).insert(entry);
  }

  function remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    const path: { node: LevelNode<TSubscriber>; level: string }[] = [];
    let node = root;
    for (const level of pattern.split('/')) {
      if (level === '#') {
        if (node.rest?.delete(entry) !== true) return;
        if (node.rest.size === 0) node.rest = undefined;
        prune(path, node);
        return;
      }
      const child = level === '+' ? node.plus : node.literal?.get(level);
      if (child === undefined) return;
      path.push({ node, level });
      node = child;
    }
    if (node.here?.delete(entry) !== true) return;
    if (node.here.size === 0) node.here = undefined;
    prune(path, node);
  }

  function match(topic: string): readonly TSubscriber[] {
    const found: SubscriberBucket<TSubscriber>[] = [];
    collect(root, topic.split('/'), 0, found);
    return mergeBuckets(found);
  }

  return { add, remove, match };
}

function collect<TSubscriber>(
  node: LevelNode<TSubscriber>,
  levels: readonly string[],
  depth: number,
  found: SubscriberBucket<TSubscriber>[],
): void {
  if (node.rest !== undefined) found.push(node.rest);
  const level = levels[depth];
  if (level === undefined) {
    if (node.here !== undefined) found.push(node.here);
    return;
  }
  const literal = node.literal?.get(level);
  if (literal !== undefined) collect(literal, levels, depth + 1, found);
  if (node.plus !== undefined) collect(node.plus, levels, depth + 1, found);
}

/** Unlinks empty nodes bottom-up; `path` holds each ancestor with the level leading down from it. */
function prune<TSubscriber>(
  path: readonly { node: LevelNode<TSubscriber>; level: string }[],
  leaf: LevelNode<TSubscriber>,
): void {
  let child = leaf;
  for (let i = path.length - 1; i >= 0 && isEmpty(child); i--) {
    const step = path[i];
    if (step === undefined) return;
    if (step.level === '+') step.node.plus = undefined;
    else {
      step.node.literal?.delete(step.level);
      if (step.node.literal?.size === 0) step.node.literal = undefined;
    }
    child = step.node;
  }
}
