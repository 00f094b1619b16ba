// Every success the CLI reads as JSON is checked against the shape the OpenAPI document gives it
// (src/client/answers.ts, generated with the client): whatever answers at the server's address (a wrong
// URL pointing at another service, a proxy's error page in JSON, a Fulcrum of another version) is told
// apart before a command prints `undefined`, a misleading zero, or passes it on with --json.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { answerDocument } from '../client/answers.js';
import type { Middleware } from '../client/index.js';
import { CliError } from './client.js';
import { MAX_ANSWER_BYTES } from './fetch.js';

/**
 * One Ajv for the process, holding the document uncompiled: a route's validator is compiled the first
 * time the command reads one of its answers (most commands make one or two calls), and kept.
 */
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

function validatorFor(path: string, method: string, status: string): ValidateFunction {
  const key = `${method} ${path} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    if (!ajv) {
      // allErrors off: the first mismatch is all a message shows, and a huge wrong answer stops there.
      ajv = new Ajv({ strict: false, allErrors: false, verbose: true, validateFormats: false });
      ajv.addSchema(openEnums(answerDocument));
    }
    const pointer = ['paths', path, method, status].map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    validate = ajv.compile({ $ref: `${answerDocument.$id}#/${pointer}` });
    validators.set(key, validate);
  }
  return validate;
}

/**
 * The document with each list of words (a string `enum` or `const`: a verdict, a status, a kind) read as
 * any string: a newer Fulcrum adds words as it adds properties, and an older CLI failed every command
 * whose answer held one (`diagnose` on a new verdict). A word of another type (a number where words
 * are), a missing property and a wrong type still fail the answer. Commands print a word they do not
 * know as it came. Lists of other values (numbers, booleans) stay closed.
 */
export function openEnums<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(openEnums) as T;
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'enum' || k === 'const' ? v : openEnums(v);
  const words = out.enum ?? ('const' in out ? [out.const] : undefined);
  // null beside the words (a word or nothing) stays allowed; the type, when the schema gives one, says so.
  if (
    Array.isArray(words) &&
    words.some((w) => typeof w === 'string') &&
    words.every((w) => typeof w === 'string' || w === null)
  ) {
    delete out.enum;
    delete out.const;
    out.type ??= words.includes(null) ? ['string', 'null'] : 'string';
  }
  return out as T;
}

/**
 * A success whose JSON body was read and checked here, handed to the client already parsed: an answer may
 * be hundreds of MiB, and the client would otherwise read and parse it a second time.
 */
function checkedAnswer(value: unknown, from: Response, bytes: number): Response {
  const headers = new Headers(from.headers);
  // The client reads a body with a length through json(), which gives the value; without one, through text().
  headers.set('content-length', String(bytes));
  const answer = new Response(null, { status: from.status, statusText: from.statusText, headers });
  Object.defineProperty(answer, 'json', { value: async () => value });
  return answer;
}

/**
 * The middleware checking each success answer of a route the command reads as JSON (`parseAs` json, the
 * default; downloads and documents are not): a status the route does not document, no body, a body that
 * is not JSON, or JSON not of the documented shape fails the command as the server's fault (exit 1),
 * naming the server, the path, the route and the first mismatch (where in the body, what was expected,
 * what came). Properties the document does not name are allowed, and words its lists do not have
 * (openEnums): a newer Fulcrum adds both.
 */
export function checkAnswers(server: string): Middleware {
  return {
    async onResponse({ request, response, schemaPath, options }) {
      if (!response.ok || (options.parseAs ?? 'json') !== 'json') return undefined;
      const method = request.method.toLowerCase();
      const statuses = answerDocument.paths[schemaPath]?.[method];
      if (!statuses) return undefined; // not a route of the document: nothing to check it against
      const path = new URL(request.url).pathname;
      const route = `${request.method} ${schemaPath}`;
      const wrong = (why: string, question = 'is --url / FULCRUM_URL a Fulcrum server, of this version?') =>
        new CliError(`the answer of Fulcrum at ${server} to ${path} is not what this fulcrum reads (${why}): ${question}`);
      const status = String(response.status);
      if (!(status in statuses))
        throw wrong(`${route} answered ${status}, a status it does not document (${Object.keys(statuses).join(', ')})`);
      if (statuses[status] === null) return undefined;
      const text = await readBounded(response, server, path);
      if (text.length === 0) throw wrong(`${route} ${status} has no body; a JSON body was expected`);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (err) {
        throw new CliError(
          `the answer of Fulcrum at ${server} to ${path} is not JSON (${(err as Error).message.slice(0, 120)}): is --url / FULCRUM_URL a Fulcrum server?`,
        );
      }
      const validate = validatorFor(schemaPath, method, status);
      if (!validate(value)) throw wrong(`${route} ${status}: ${mismatch(validate.errors ?? [])}`);
      return checkedAnswer(value, response, Buffer.byteLength(text));
    },
  };
}

/** The body as text, failing past MAX_ANSWER_BYTES (a command may raise its fetch's bound for downloads). */
async function readBounded(response: Response, server: string, path: string): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let received = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    received += chunk.length;
    if (received > MAX_ANSWER_BYTES) {
      await response.body.cancel().catch(() => undefined); // the answer is refused; how its stream ends is moot
      throw new CliError(`Fulcrum at ${server} answered ${path} with more than ${MAX_ANSWER_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The first mismatch as `at PATH expected X, got Y`. With allErrors off, Ajv lists a union's branches'
 * failures before the union's own: the last error is the one that decided.
 */
export function mismatch(errors: ErrorObject[]): string {
  const e = errors.at(-1);
  if (!e) return 'it does not match its schema';
  const at = e.instancePath || '/';
  const params = e.params as { missingProperty?: string; type?: string; allowedValues?: unknown[] };
  if (e.keyword === 'required') return `at ${at} expected property "${params.missingProperty}", got none`;
  const expected =
    e.keyword === 'type'
      ? String(params.type)
      : e.keyword === 'enum'
        ? `one of ${JSON.stringify(params.allowedValues).slice(0, 200)}`
        : e.keyword === 'anyOf' || e.keyword === 'oneOf'
          ? alternatives(e.schema)
          : `${e.keyword} ${JSON.stringify(e.params).slice(0, 200)}`;
  return `at ${at} expected ${expected}, got ${shown(e.data)}`;
}

function alternatives(schemas: unknown): string {
  const names = (Array.isArray(schemas) ? schemas : []).map((s: { type?: unknown; $ref?: unknown }) =>
    typeof s.$ref === 'string' ? (s.$ref.split('/').at(-1) ?? s.$ref) : s.type !== undefined ? String(s.type) : 'a schema',
  );
  return names.length ? names.join(' or ') : 'one of its alternatives';
}

/** What came, briefly: a scalar as itself (at most 60 characters), an object or an array as its kind. */
function shown(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
