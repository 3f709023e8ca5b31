// Owns the wildcard-mode store of the topic index: literal patterns in one Map, the rest in a trie over topic levels with `+` and `#` branches.
import { FoundBuckets, SubscriberBucket } from './topic-index-bucket.ts';
import type { PatternStore, SubscriberEntry } from './topic-index-bucket.ts';

/** A trie node standing for a sequence of pattern levels. */
interface LevelNode<TSubscriber> {
  /**
   * The literal child while there is exactly one (the common case below the top levels), kept
   * inline: matching it compares the level in place, with no Map and no substring.
   */
  soleChild: LevelNode<TSubscriber> | undefined;
  /** The level leading to `soleChild`; meaningless while `soleChild` is undefined. */
  soleLevel: string;
  /** Children for literal levels once there are two or more (then `soleChild` is undefined). */
  literal: Map<string, LevelNode<TSubscriber>> | undefined;
  /** Child for a `+` level. */
  plus: LevelNode<TSubscriber> | undefined;
  /** Patterns ending exactly here. */
  here: SubscriberBucket<TSubscriber> | undefined;
  /**
   * The snapshot of `here`, cached on the node so a match reads it without visiting the bucket
   * (one memory access fewer per hit in a large index); undefined after any change to `here`.
   */
  hereSubscribers: readonly TSubscriber[] | undefined;
  /** Patterns ending here with a `#` level: they match this node and everything below it. */
  rest: SubscriberBucket<TSubscriber> | undefined;
  /** The snapshot of `rest`, as `hereSubscribers` is of `here`. */
  restSubscribers: readonly TSubscriber[] | undefined;
}

function createNode<TSubscriber>(): LevelNode<TSubscriber> {
  return {
    soleChild: undefined,
    soleLevel: '',
    literal: undefined,
    plus: undefined,
    here: undefined,
    hereSubscribers: undefined,
    rest: undefined,
    restSubscribers: undefined,
  };
}

function isEmpty(node: LevelNode<unknown>): boolean {
  return (
    node.here === undefined &&
    node.rest === undefined &&
    node.plus === undefined &&
    node.soleChild === undefined &&
    node.literal === undefined
  );
}

/** The literal child of `node` for `level`, if any. */
function literalChild<TSubscriber>(
  node: LevelNode<TSubscriber>,
  level: string,
): LevelNode<TSubscriber> | undefined {
  if (node.literal !== undefined) return node.literal.get(level);
  return node.soleLevel === level ? node.soleChild : undefined;
}

/** The literal child of `node` for `level`, created when missing. */
function ensureLiteralChild<TSubscriber>(
  node: LevelNode<TSubscriber>,
  level: string,
): LevelNode<TSubscriber> {
  const existing = literalChild(node, level);
  if (existing !== undefined) return existing;
  const child = createNode<TSubscriber>();
  if (node.literal !== undefined) node.literal.set(level, child);
  else if (node.soleChild === undefined) {
    node.soleChild = child;
    node.soleLevel = level;
  } else {
    node.literal = new Map([
      [node.soleLevel, node.soleChild],
      [level, child],
    ]);
    node.soleChild = undefined;
    node.soleLevel = '';
  }
  return child;
}

/** Unlinks the literal child of `node` for `level`; a lone remaining child moves back inline. */
function deleteLiteralChild(node: LevelNode<unknown>, level: string): void {
  const literal = node.literal;
  if (literal === undefined) {
    if (node.soleLevel === level) {
      node.soleChild = undefined;
      node.soleLevel = '';
    }
    return;
  }
  literal.delete(level);
  if (literal.size > 1) return;
  node.literal = undefined;
  for (const [onlyLevel, onlyChild] of literal) {
    node.soleChild = onlyChild;
    node.soleLevel = onlyLevel;
  }
}

function hasWildcard(pattern: string): boolean {
  return pattern.includes('+') || pattern.includes('#');
}

/**
 * Creates the store for `wildcard` mode. A pattern without `+` or `#` matches only the topic equal
 * to it, so those live in a Map keyed by the pattern. The others live in a trie: a match walks
 * the topic's levels, following the literal child and the `+` child at each level and collecting
 * `#` buckets on the way, so its cost depends on the topic and on the wildcards that fit it, not
 * on the number of subscriptions.
 */
export function createWildcardStore<TSubscriber>(): PatternStore<TSubscriber> {
  const literals = new Map<string, SubscriberBucket<TSubscriber>>();
  const root = createNode<TSubscriber>();
  const found = new FoundBuckets<TSubscriber>();

  function add(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    if (!hasWildcard(pattern)) {
      let bucket = literals.get(pattern);
      if (bucket === undefined) literals.set(pattern, (bucket = new SubscriberBucket()));
      bucket.insert(entry);
      return;
    }
    let node = root;
    for (const level of pattern.split('/')) {
      if (level === '#') {
        (node.rest ??= new SubscriberBucket()).insert(entry);
        node.restSubscribers = undefined;
        return;
      }
      node = level === '+' ? (node.plus ??= createNode()) : ensureLiteralChild(node, level);
    }
    (node.here ??= new SubscriberBucket()).insert(entry);
    node.hereSubscribers = undefined;
  }

  function remove(pattern: string, entry: SubscriberEntry<TSubscriber>): void {
    if (!hasWildcard(pattern)) {
      const bucket = literals.get(pattern);
      if (bucket?.delete(entry) === true && bucket.size === 0) literals.delete(pattern);
      return;
    }
    const path: { node: LevelNode<TSubscriber>; level: string }[] = [];
    let node = root;
    for (const level of pattern.split('/')) {
      if (level === '#') {
        if (node.rest?.delete(entry) !== true) return;
        if (node.rest.size === 0) node.rest = undefined;
        node.restSubscribers = undefined;
        prune(path, node);
        return;
      }
      const child = level === '+' ? node.plus : literalChild(node, level);
      if (child === undefined) return;
      path.push({ node, level });
      node = child;
    }
    if (node.here?.delete(entry) !== true) return;
    if (node.here.size === 0) node.here = undefined;
    node.hereSubscribers = undefined;
    prune(path, node);
  }

  function match(topic: string): readonly TSubscriber[] {
    if (literals.size > 0) {
      const bucket = literals.get(topic);
      if (bucket !== undefined) found.add(bucket, bucket.subscribers());
    }
    if (!isEmpty(root)) collect(root, topic, 0, found);
    return found.take();
  }

  return { add, remove, match };
}

/**
 * Collects the buckets under `node` matching the levels of `topic` from index `start`; a `start`
 * past the end means no level is left. Levels are cut with `indexOf`, not `split`, so a walk
 * allocates no array.
 */
function collect<TSubscriber>(
  node: LevelNode<TSubscriber>,
  topic: string,
  start: number,
  found: FoundBuckets<TSubscriber>,
): void {
  const rest = node.rest;
  if (rest !== undefined) found.add(rest, (node.restSubscribers ??= rest.subscribers()));
  if (start > topic.length) {
    const here = node.here;
    if (here !== undefined) found.add(here, (node.hereSubscribers ??= here.subscribers()));
    return;
  }
  const slash = topic.indexOf('/', start);
  const end = slash === -1 ? topic.length : slash;
  const sole = node.soleChild;
  if (sole !== undefined) {
    const level = node.soleLevel;
    if (level.length === end - start && topic.startsWith(level, start)) {
      collect(sole, topic, end + 1, found);
    }
  } else if (node.literal !== undefined) {
    const child = node.literal.get(topic.slice(start, end));
    if (child !== undefined) collect(child, topic, end + 1, found);
  }
  if (node.plus !== undefined) collect(node.plus, topic, end + 1, found);
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
    else deleteLiteralChild(step.node, step.level);
    child = step.node;
  }
}
