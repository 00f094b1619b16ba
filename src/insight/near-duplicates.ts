// Near-duplicate agents: pairs of agents of different initiatives whose tools overlap by at least
// 60 % (Jaccard, two shared tools at least). Agents built on one archetype share its tools, so in a
// standardised enterprise nearly every pair across initiatives is one: 2,000 agents in 200
// initiatives made 2 million pairs (175 MB, 51 s of a blocked event loop). The work is therefore done
// per distinct tool set, the pairs are counted by arithmetic, and only the first LIMIT are listed.
export const NEAR_DUPLICATE_LIMIT = 100;
const MIN_SHARED = 2;
const MIN_SIMILARITY = 0.6;

export interface NearDuplicate {
  agents: [string, string];
  sharedTools: string[];
  similarity: number;
}

interface Member {
  name: string;
  initiative: string;
}

/** Agents sharing one tool set, by name, and for each position the next one of another initiative. */
interface Group {
  tools: string[];
  members: Member[];
  nextOtherInitiative: number[];
  perInitiative: Map<string, number>;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The pairs, most alike first, then by the first agent's name and the second's (each pair's names in
 * order); at most `limit` of them, and how many there are in all.
 */
export function nearDuplicates(
  agents: ReadonlyArray<{ name: string; initiative: string; tools: ReadonlySet<string> }>,
  limit = NEAR_DUPLICATE_LIMIT,
): { pairs: NearDuplicate[]; total: number } {
  const groups = groupByTools(agents);
  // Similar tool-set pairs, by similarity (rounded as reported), each set against itself included.
  // level → group → the similar groups (itself included) and the tools shared with each.
  const levels = new Map<number, Map<Group, Array<{ other: Group; shared: string[] }>>>();
  let total = 0;
  for (let i = 0; i < groups.length; i++)
    for (let j = i; j < groups.length; j++) {
      const g = groups[i] as Group;
      const h = groups[j] as Group;
      const inH = new Set(h.tools);
      const shared = g.tools.filter((t) => inH.has(t));
      const similarity = shared.length / (g.tools.length + h.tools.length - shared.length);
      if (shared.length < MIN_SHARED || similarity < MIN_SIMILARITY) continue;
      total += pairsBetween(g, h);
      const level = Math.round(similarity * 100) / 100;
      const similar = levels.get(level) ?? new Map<Group, Array<{ other: Group; shared: string[] }>>();
      levels.set(level, similar);
      for (const [x, y] of g === h
        ? [[g, h]]
        : [
            [g, h],
            [h, g],
          ]) {
        const list = similar.get(x as Group) ?? [];
        list.push({ other: y as Group, shared });
        similar.set(x as Group, list);
      }
    }

  const pairs: NearDuplicate[] = [];
  const members = agents.map((a) => a.name).sort(byName);
  const groupOf = new Map<string, Group>();
  for (const g of groups) for (const m of g.members) groupOf.set(m.name, g);
  const initiativeOf = new Map(agents.map((a) => [a.name, a.initiative]));
  for (const level of [...levels.keys()].sort((a, b) => b - a)) {
    const similar = levels.get(level) as Map<Group, Array<{ other: Group; shared: string[] }>>;
    for (const name of members) {
      if (pairs.length >= limit) return { pairs, total };
      const found: Array<{ b: string; shared: string[] }> = [];
      for (const { other, shared } of similar.get(groupOf.get(name) as Group) ?? [])
        for (const b of after(other, name, initiativeOf.get(name) as string, limit - pairs.length)) found.push({ b, shared });
      found.sort((x, y) => byName(x.b, y.b));
      for (const { b, shared } of found.slice(0, limit - pairs.length))
        pairs.push({ agents: [name, b], sharedTools: shared, similarity: level });
    }
  }
  return { pairs, total };
}

function groupByTools(agents: ReadonlyArray<{ name: string; initiative: string; tools: ReadonlySet<string> }>): Group[] {
  const byKey = new Map<string, Group>();
  for (const a of agents) {
    const tools = [...a.tools].sort(byName);
    const key = JSON.stringify(tools);
    let g = byKey.get(key);
    if (!g) {
      g = { tools, members: [], nextOtherInitiative: [], perInitiative: new Map() };
      byKey.set(key, g);
    }
    g.members.push({ name: a.name, initiative: a.initiative });
    g.perInitiative.set(a.initiative, (g.perInitiative.get(a.initiative) ?? 0) + 1);
  }
  for (const g of byKey.values()) {
    g.members.sort((a, b) => byName(a.name, b.name));
    const next = new Array<number>(g.members.length);
    for (let p = g.members.length - 1; p >= 0; p--) {
      const q = p + 1;
      next[p] = q >= g.members.length || g.members[q]?.initiative !== g.members[p]?.initiative ? q : (next[q] as number);
    }
    g.nextOtherInitiative = next;
  }
  return [...byKey.values()];
}

/** Agent pairs across initiatives between two groups (within one, when g is h). */
function pairsBetween(g: Group, h: Group): number {
  if (g === h) {
    let same = 0;
    for (const n of g.perInitiative.values()) same += (n * (n - 1)) / 2;
    return (g.members.length * (g.members.length - 1)) / 2 - same;
  }
  let same = 0;
  const [small, large] = g.perInitiative.size <= h.perInitiative.size ? [g, h] : [h, g];
  for (const [initiative, n] of small.perInitiative) same += n * (large.perInitiative.get(initiative) ?? 0);
  return g.members.length * h.members.length - same;
}

/** Up to `count` members of `g` named after `name`, of another initiative than `initiative`, by name. */
function after(g: Group, name: string, initiative: string, count: number): string[] {
  let lo = 0;
  let hi = g.members.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((g.members[mid] as Member).name <= name) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  let p = lo;
  while (p < g.members.length && out.length < count) {
    const m = g.members[p] as Member;
    // One of the same initiative: the next of another is where its initiative's run ends.
    if (m.initiative === initiative) p = g.nextOtherInitiative[p] as number;
    else {
      out.push(m.name);
      p++;
    }
  }
  return out;
}
