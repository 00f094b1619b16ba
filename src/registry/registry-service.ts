// The registry: read descriptors, write one (PUT), delete one, or apply a whole bundle in one
// transaction. Every write validates the whole next registry before anything is written.
import type { Kysely } from 'kysely';
import { createCredentialStore } from '../auth/credential-store.js';
import { actorName, assertCan, type Principal } from '../auth/principal.js';
import type { Database } from '../db/schema.js';
import { ConflictError, NotFoundError, type Problem, ValidationError } from '../errors.js';
import { exportFiles, type ParsedDocument, parseFiles, type SourceFile } from './descriptors.js';
import type { Kind } from './kinds.js';
import { type Desired, keyOf, type RegistryObject, RegistrySnapshot, sameDesired } from './model.js';
import { type Change, createRegistryStore } from './registry-store.js';
import { checkCrossRules, checkPolicies, checkReferences, referrersOf, validateDescriptor } from './validate.js';

export interface ApplyOptions {
  dryRun?: boolean;
  /** Delete registry objects the bundle does not contain. */
  prune?: boolean;
}

export interface ApplyResult {
  dryRun: boolean;
  revision: number;
  created: string[];
  updated: string[];
  unchanged: string[];
  deleted: string[];
}

export type PutResult = { result: 'created' | 'updated' | 'unchanged'; object: RegistryObject };

export type RegistryService = ReturnType<typeof createRegistryService>;

/** Thrown inside a transaction to roll it back on purpose (dry runs, no-op applies). */
class Rollback {
  constructor(readonly result: ApplyResult) {}
}

export function createRegistryService({ db }: { db: Kysely<Database> }) {
  const store = createRegistryStore(db);
  const listeners: Array<() => void> = [];

  async function snapshot(): Promise<RegistrySnapshot> {
    return new RegistrySnapshot(await store.loadAll(), await store.revision());
  }

  /**
   * Writes `put` (and removes `remove`, or with prune everything not in `put`) in one transaction,
   * after checking the whole next registry. `locate` turns a problem into a file position.
   */
  async function commit(
    put: Desired[],
    opts: { remove?: Array<{ kind: Kind; name: string }>; prune?: boolean; dryRun?: boolean; actor: Principal },
    locate: (p: Problem) => Problem = (p) => p,
  ): Promise<ApplyResult> {
    try {
      const result = await db.transaction().execute(async (trx) => {
        const tx = createRegistryStore(trx);
        const revision = await tx.bumpRevision();
        const current = new RegistrySnapshot(await tx.loadAll(), revision - 1);
        const wanted = new Set(put.map(keyOf));
        const remove = opts.prune ? [...current.all()].filter((o) => !wanted.has(keyOf(o))) : (opts.remove ?? []);
        const next = current.with(put, remove);

        const problems = [...checkReferences(next), ...checkCrossRules(next), ...checkPolicies(next)].map(locate);
        if (problems.length > 0) throw new ValidationError(summary(problems), sorted(problems));

        const result: ApplyResult = { dryRun: !!opts.dryRun, revision, created: [], updated: [], unchanged: [], deleted: [] };
        const changes: Change[] = [];
        for (const o of put) {
          const before = current.get(o.kind, o.name);
          const action = !before ? 'created' : sameDesired(before, o) ? 'unchanged' : 'updated';
          result[action].push(keyOf(o));
          if (action !== 'unchanged') changes.push({ kind: o.kind, name: o.name, action });
        }
        for (const r of remove) {
          if (!current.has(r.kind, r.name)) continue;
          result.deleted.push(keyOf(r));
          changes.push({ kind: r.kind, name: r.name, action: 'deleted' });
        }
        if (opts.dryRun || changes.length === 0) throw new Rollback({ ...result, revision: revision - 1 });

        const now = new Date().toISOString();
        const credentials = createCredentialStore(trx);
        for (const c of changes) {
          if (c.action === 'deleted') {
            await tx.remove(c.kind, c.name);
            if (c.kind === 'Person' || c.kind === 'Agent') await credentials.revokeAllFor(c.kind, c.name, now);
          } else {
            const o = next.get(c.kind, c.name) as Desired;
            await (c.action === 'created' ? tx.insert(o, now) : tx.update(o, now));
          }
        }
        await tx.recordChanges(changes, revision, actorName(opts.actor), now);
        return result;
      });
      for (const l of listeners) l();
      return result;
    } catch (err) {
      if (err instanceof Rollback) return err.result;
      throw err;
    }
  }

  return {
    snapshot,
    revision: () => store.revision(),
    /** Called after every committed change (caches on this node refresh at once). */
    onChange(listener: () => void): void {
      listeners.push(listener);
    },

    async list(actor: Principal, kind: Kind): Promise<RegistryObject[]> {
      assertCan(actor, 'registry.read');
      return store.list(kind);
    },

    async get(actor: Principal, kind: Kind, name: string): Promise<RegistryObject> {
      assertCan(actor, 'registry.read');
      const o = await store.get(kind, name);
      if (!o) throw new NotFoundError(`no ${kind} named "${name}"`);
      return o;
    },

    /** Creates or replaces one descriptor. */
    async put(actor: Principal, raw: unknown): Promise<PutResult> {
      assertCan(actor, 'registry.write');
      const checked = validateDescriptor(raw);
      if (!checked.ok) throw new ValidationError(summary(checked.problems), checked.problems);
      const { kind, name } = checked.desired;
      const result = await commit([checked.desired], { actor });
      const object = (await store.get(kind, name)) as RegistryObject;
      return { result: result.created.length ? 'created' : result.updated.length ? 'updated' : 'unchanged', object };
    },

    /** Deletes one descriptor; refused while anything references it. */
    async remove(actor: Principal, kind: Kind, name: string): Promise<void> {
      assertCan(actor, 'registry.write');
      const current = await snapshot();
      if (!current.has(kind, name)) throw new NotFoundError(`no ${kind} named "${name}"`);
      const referrers = referrersOf(current, kind, name);
      if (referrers.length > 0) {
        const list = referrers.map((r) => `${r.kind}/${r.name} (${r.path.slice(1).replaceAll('/', '.')})`).join(', ');
        throw new ConflictError(`${kind} "${name}" is still referenced by ${list}`, { referencedBy: referrers });
      }
      try {
        await commit([], { remove: [{ kind, name }], actor });
      } catch (err) {
        // A Policy that names it (e.g. a tool as a Cedar action) would no longer validate.
        if (err instanceof ValidationError)
          throw new ConflictError(`${kind} "${name}" is still used: ${err.message}`, { problems: err.problems });
        throw err;
      }
    },

    /** Validates a whole bundle, then applies it in one transaction, or applies nothing. */
    async apply(actor: Principal, files: SourceFile[], opts: ApplyOptions = {}): Promise<ApplyResult> {
      assertCan(actor, 'registry.write');
      const { documents, problems } = parseFiles(files);
      const desired: Desired[] = [];
      const origin = new Map<string, ParsedDocument>();
      const broken = new Set<string>();
      for (const doc of documents) {
        const checked = validateDescriptor(doc.value);
        if (!checked.ok) {
          problems.push(...checked.problems.map((p) => at(doc, p)));
          if (checked.kind && checked.name) broken.add(`${checked.kind}/${checked.name}`);
          continue;
        }
        const key = keyOf(checked.desired);
        const first = origin.get(key);
        if (first) {
          const pos = first.locate('/metadata/name');
          problems.push(
            at(doc, {
              path: '/metadata/name',
              message: `duplicate ${key} (first defined at ${first.file}:${pos.line}:${pos.col})`,
            }),
          );
          continue;
        }
        origin.set(key, doc);
        desired.push(checked.desired);
      }
      const locate = (p: Problem): Problem => {
        const doc = p.kind && p.name ? origin.get(`${p.kind}/${p.name}`) : undefined;
        return doc ? at(doc, p) : p;
      };
      if (problems.length > 0) {
        // Report dangling references too, so one run shows every error; names whose descriptors
        // failed their own checks count as existing, so they are not reported twice.
        const next = (await snapshot()).with(desired);
        problems.push(...checkReferences(next, broken).map(locate));
        // Policies are checked too unless a broken Tool would make the Cedar schema misleading.
        if (![...broken].some((k) => k.startsWith('Tool/'))) problems.push(...checkPolicies(next).map(locate));
        throw new ValidationError(summary(problems), sorted(problems));
      }
      return commit(desired, { ...opts, actor }, locate);
    },

    async export(actor: Principal): Promise<SourceFile[]> {
      assertCan(actor, 'registry.read');
      return exportFiles(await snapshot());
    },

    async changes(actor: Principal, limit: number) {
      assertCan(actor, 'registry.read');
      return store.changes(limit);
    },
  };
}

function at(doc: ParsedDocument, p: Problem): Problem {
  const { line, col } = doc.locate(p.path ?? '', p.offset);
  return { ...p, file: doc.file, line, col };
}

/** Problems in reading order: by file, line and column; those without a file last. */
function sorted(problems: Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file ?? '\uffff').localeCompare(b.file ?? '\uffff') || (a.line ?? 0) - (b.line ?? 0) || (a.col ?? 0) - (b.col ?? 0),
  );
}

function summary(problems: Problem[]): string {
  return problems.length === 1 ? (problems[0] as Problem).message : `${problems.length} problems; nothing was written`;
}
