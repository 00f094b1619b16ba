// Bounds how deeply a JSON body may nest, checked on the text before it is parsed: JSON.parse and
// everything after it (schema validation, canonical hashing, Cedar entities) recurse per level, and a
// body of 10,000 brackets overflowed the stack (500). One linear scan, no allocation.
import type { FastifyInstance } from 'fastify';
import sjson from 'secure-json-parse';
import { InputError } from '../errors.js';

/** Deepest nesting of objects and arrays a JSON body may have (docs/errors.md). */
export const MAX_JSON_DEPTH = 64;

/** The offset at which `text` nests deeper than `max`, or -1 when it never does. */
export function jsonTooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

/** Throws a 400 naming where a text nests too deeply. */
export function assertJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  const at = jsonTooDeepAt(text, max);
  if (at >= 0) throw new InputError(`the JSON body nests deeper than ${max} levels (at character ${at})`);
}

/**
 * Replaces Fastify's JSON parser with parseJsonBody: the depth check, and a message that says what is
 * wrong and where. Fastify's said "Body is not valid JSON but content-type is set to 'application/json'"
 * for every fault, a missing bracket and a refused `__proto__` key alike, with no position.
 */
export function registerBoundedJsonParser(server: FastifyInstance): void {
  server.removeContentTypeParser('application/json');
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    let value: unknown;
    try {
      value = parseJsonBody(body as string);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    done(null, value);
  });
}

/**
 * Parses a JSON body as the server's parser does (the depth bound; `__proto__` and
 * `constructor.prototype` keys refused, not dropped), where Fastify's is not at hand (bodies read on
 * a worker thread, src/http/off-loop.ts). A malformed body is an InputError naming what is wrong.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw new InputError('the request body is empty; a JSON document was expected');
  assertJsonDepth(text);
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    throw new InputError(`malformed JSON body: ${(err as Error).message}`);
  }
}
