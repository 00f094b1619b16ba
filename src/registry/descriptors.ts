// Governance-as-code files: YAML streams of descriptors, parsed with positions so that every
// problem can be printed as FILE:LINE:COL, and the registry written back out as YAML.
import YAML, { Composer, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, type Node, Parser, Scalar } from 'yaml';
import { InputError, type Problem } from '../errors.js';
import { KIND_INFO, KINDS } from './kinds.js';
import { API_VERSION, type Desired, type RegistrySnapshot } from './model.js';
import { runSliced, SLICE_MS } from './slices.js';

export interface SourceFile {
  path: string;
  content: string;
}

export interface ParsedDocument {
  file: string;
  /** The document as plain data. */
  value: unknown;
  /** Finds the line and column of a JSON pointer inside this document. */
  locate(pointer: string, offset?: number): { line: number; col: number };
}

export interface Parsed {
  documents: ParsedDocument[];
  problems: Problem[];
}

export function parseFiles(files: SourceFile[]): Parsed {
  const out: Parsed = { documents: [], problems: [] };
  for (const _ of parseSteps(files, out));
  return out;
}

/** parseFiles, letting the event loop run between pieces of at most `sliceMs` (slices.ts). */
export async function parseFilesSliced(files: SourceFile[], sliceMs = SLICE_MS): Promise<Parsed> {
  const out: Parsed = { documents: [], problems: [] };
  await runSliced(parseSteps(files, out), sliceMs);
  return out;
}

/** A point where parsing may pause (every few hundred tokens). */
const PAUSE = Symbol('pause');

/** Parses `files` into `out`, yielding at points where the caller may let the event loop run. */
function* parseSteps(files: SourceFile[], out: Parsed): Generator<typeof PAUSE> {
  const { documents, problems } = out;
  for (const f of files) {
    const lineCounter = new LineCounter();
    const docs: YAML.Document.Parsed[] = [];
    try {
      for (const step of parseBounded(f.content, lineCounter)) {
        if (step === PAUSE) yield PAUSE;
        else docs.push(step);
      }
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
      // The LineCounter has only seen the lines before the offset: count them here.
      problems.push({
        file: f.path,
        line: f.content.slice(0, err.offset).split('\n').length,
        col: err.offset - f.content.lastIndexOf('\n', err.offset - 1),
        message: `YAML: nested deeper than ${MAX_YAML_DEPTH} flow collections ([ and {)`,
      });
      continue;
    }
    for (const doc of docs) {
      yield PAUSE;
      if (doc.errors.length > 0) {
        for (const e of doc.errors) {
          const pos = lineCounter.linePos(e.pos[0]);
          problems.push({ file: f.path, line: pos.line, col: pos.col, message: `YAML: ${firstLine(e.message)}` });
        }
        continue;
      }
      const version = otherYamlVersion(doc);
      if (version) {
        const at = Math.max(0, f.content.lastIndexOf('%YAML', doc.range[0]));
        const pos = lineCounter.linePos(at);
        problems.push({ file: f.path, line: pos.line, col: pos.col, message: `YAML: ${version}` });
        continue;
      }
      // An empty document (a trailing `---`, perhaps followed by comments) holds nothing.
      if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) continue;
      const root = doc.contents as Node;
      let value: unknown;
      try {
        // Resolving aliases can still fail here (an alias to an anchor that is not set, too many aliases).
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (err) {
        const pos = lineCounter.linePos(root.range?.[0] ?? 0);
        problems.push({ file: f.path, line: pos.line, col: pos.col, message: `YAML: ${firstLine((err as Error).message)}` });
        continue;
      }
      documents.push({
        file: f.path,
        value,
        locate: (pointer, offset) => locateIn(root, pointer, offset, lineCounter, f.content),
      });
    }
  }
}

/** Deepest nesting of flow collections a descriptor file may have (a registry's need is under 10). */
export const MAX_YAML_DEPTH = 64;

class TooDeep extends Error {
  constructor(readonly offset: number) {
    super(`nested deeper than ${MAX_YAML_DEPTH} flow collections`);
  }
}

/**
 * Two mapping keys are one when they are one key once the document is plain data: the library's own
 * test compares values, so `1` and `"1"` (or `true` and `"true"`, `~` and `""`) passed, and the later
 * one silently replaced the earlier. A scalar key becomes `String(value)`, null `""` (yaml's toJS).
 */
function sameJsonKey(a: unknown, b: unknown): boolean {
  return a === b || (isScalar(a) && isScalar(b) && jsonKey(a.value) === jsonKey(b.value));
}

const jsonKey = (value: unknown) => (value === null ? '' : String(value));

/**
 * YAML.parseAllDocuments, with the flow-collection depth counted on the lexer's tokens on the way
 * (quoted and block scalars are single tokens, so brackets inside them do not count). The yaml
 * library's lexer is flat and linear; its composer is not: 10,000 nested `[` ran it out of memory
 * and killed the process. Block nesting needs a line per level and indentation growing with it, so
 * the body limit bounds it (a few thousand levels, measured to parse in well under a second).
 */
function* parseBounded(
  text: string,
  lineCounter: LineCounter,
  max = MAX_YAML_DEPTH,
): Generator<YAML.Document.Parsed | typeof PAUSE> {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ uniqueKeys: sameJsonKey });
  lineCounter.addNewLine(0);
  let depth = 0;
  let lexemes = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') {
      if (++depth > max) throw new TooDeep(parser.offset);
    } else if (lexeme === ']' || lexeme === '}') depth--;
    else if (lexeme === '\x02') depth = 0; // the lexer's start-of-document marker
    for (const token of parser.next(lexeme)) yield* composer.next(token) as Generator<YAML.Document.Parsed>;
    if (++lexemes % 256 === 0) yield PAUSE;
  }
  for (const token of parser.end()) yield* composer.next(token) as Generator<YAML.Document.Parsed>;
  yield* composer.end() as Generator<YAML.Document.Parsed>;
}

/**
 * One YAML document (a `PUT` body) as plain data, parsed once with the same bound as a bundle's
 * files; 400 when it nests too deeply, is not YAML, or holds more than one document.
 */
export function parseYamlValue(text: string): unknown {
  const out: { value?: unknown } = {};
  for (const _ of valueSteps(text, out));
  return out.value;
}

/** parseYamlValue, letting the event loop run between pieces of at most `sliceMs` (slices.ts). */
export async function parseYamlValueSliced(text: string, sliceMs = SLICE_MS): Promise<unknown> {
  const out: { value?: unknown } = {};
  await runSliced(valueSteps(text, out), sliceMs);
  return out.value;
}

function* valueSteps(text: string, out: { value?: unknown }): Generator<typeof PAUSE> {
  const lineCounter = new LineCounter();
  const docs: YAML.Document.Parsed[] = [];
  try {
    for (const step of parseBounded(text, lineCounter)) {
      if (step === PAUSE) yield PAUSE;
      else docs.push(step);
    }
  } catch (err) {
    if (err instanceof TooDeep)
      throw new InputError(`the YAML body nests deeper than ${MAX_YAML_DEPTH} flow collections (at character ${err.offset})`);
    throw err;
  }
  if (docs.length > 1) throw new InputError('malformed YAML body: it holds more than one document');
  const doc = docs[0];
  if (!doc) {
    out.value = null;
    return;
  }
  const e = doc.errors[0];
  if (e) {
    const pos = lineCounter.linePos(e.pos[0]);
    throw new InputError(`malformed YAML body: ${firstLine(e.message)} at line ${pos.line}, column ${pos.col}`);
  }
  const version = otherYamlVersion(doc);
  if (version) throw new InputError(`YAML body: ${version}`);
  try {
    out.value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new InputError(`malformed YAML body: ${firstLine((err as Error).message)}`);
  }
}

/**
 * Why a document that declares another YAML version than 1.2 is refused. Under `%YAML 1.1` the same
 * text means other values, silently: `no` is false, `0777` is 511, `1:30` is 90, `1_000` is 1000
 * (all strings or other numbers in 1.2), so one file would mean one thing here and another elsewhere.
 */
function otherYamlVersion(doc: YAML.Document.Parsed): string | undefined {
  const { explicit, version } = doc.directives?.yaml ?? { explicit: false, version: '1.2' };
  if (!explicit || version === '1.2') return undefined;
  return `%YAML ${version} is not read: Fulcrum reads YAML 1.2, in which \`no\`, \`0777\` and \`1:30\` mean other values than in ${version}; remove the directive`;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

function locateIn(
  root: Node,
  pointer: string,
  offset: number | undefined,
  lines: LineCounter,
  text: string,
): { line: number; col: number } {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  let node: unknown = root;
  let at: [number, number, number] | undefined | null = root.range;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg);
      if (!pair) break;
      at = (pair.key as Node).range;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (!item) break;
      at = (item as Node).range;
      node = item;
    } else break;
  }
  if (offset !== undefined && isScalar(node) && node.range) return offsetInScalar(node, offset, lines, text);
  const pos = lines.linePos(at?.[0] ?? 0);
  return { line: pos.line, col: pos.col };
}

/** Maps an offset inside a scalar's value (e.g. Cedar text) to the file position it came from. */
function offsetInScalar(node: Scalar, offset: number, lines: LineCounter, text: string): { line: number; col: number } {
  const value = String(node.value);
  const before = value.slice(0, offset).split('\n');
  const lineInValue = before.length - 1;
  const colInValue = (before[before.length - 1] ?? '').length;
  const start = lines.linePos((node.range as [number, number, number])[0]);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // The content starts on the line after the `|` header, indented.
    const contentLine = start.line + 1 + lineInValue;
    const lineStart = lines.lineStarts[contentLine - 1] ?? 0;
    const indent = /^[ ]*/.exec(text.slice(lineStart))?.[0].length ?? 0;
    return { line: contentLine, col: indent + colInValue + 1 };
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  return lineInValue === 0
    ? { line: start.line, col: start.col + quoted + colInValue }
    : { line: start.line + lineInValue, col: colInValue + 1 };
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The registry as descriptor files, one per kind, in dependency order; applying them changes nothing. */
export function exportFiles(registry: RegistrySnapshot): SourceFile[] {
  const files: SourceFile[] = [];
  for (const kind of KINDS) {
    const objects = registry.list(kind).sort((a, b) => a.name.localeCompare(b.name));
    if (objects.length === 0) continue;
    const content = objects.map((o) => YAML.stringify(toDescriptor(o), { lineWidth: 0 })).join('---\n');
    files.push({ path: `${KIND_INFO[kind].plural}.yaml`, content });
  }
  return files;
}

export function toDescriptor(o: Desired): Record<string, unknown> {
  const metadata = Object.keys(o.labels).length > 0 ? { name: o.name, labels: o.labels } : { name: o.name };
  return { apiVersion: API_VERSION, kind: o.kind, metadata, spec: o.spec };
}
