// 2026-07-28's routing headers, Mcp-Method and Mcp-Name, checked against the message they came with
// by the rule the SDK 2.x server applies on the 2026 path (`validateStandardRequestHeaders` and the
// classifier's method cross-check in @modelcontextprotocol/server), for a request of 2025-11-25 or
// before that carries them: whatever a proxy routes or filters on must say what the body says, and
// a client is not told one thing on one version and another on the other.

/** Which body field Mcp-Name repeats, per method (the SDK's table); other methods' Mcp-Name is not read. */
const NAME_SOURCE: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
  'tasks/get': 'taskId',
  'tasks/update': 'taskId',
  'tasks/cancel': 'taskId',
};

/** A value in MCP's encoded form, `=?base64?…?=`, capturing what is between. */
export const SENTINEL = /^=\?base64\?(.*)\?=$/s;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A header value under MCP's value-encoding rule: `=?base64?<canonical base64 of UTF-8>?=` decoded,
 * anything else as it is; undefined when it has the encoded form but is not canonical base64 of UTF-8.
 */
export function decodeHeaderValue(value: string): string | undefined {
  const encoded = SENTINEL.exec(value)?.[1];
  if (encoded === undefined) return value;
  if (!CANONICAL_BASE64.test(encoded)) return undefined;
  try {
    return utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    return undefined;
  }
}

/** RFC 9110 optional whitespace around a field value (Node strips it too; the SDK strips it again). */
export const stripOws = (v: string) => v.replace(/^[ \t]+|[ \t]+$/g, '');

/**
 * Why the Mcp-Method / Mcp-Name headers disagree with the one JSON-RPC request or notification they
 * came with, or undefined. As on 2026-07-28: a request carrying either header needs Mcp-Method equal
 * to its method, and Mcp-Name (plain, or in the encoded form) equal to the field its method names
 * (`params.name`, `uri` or `taskId`) when that field is a string; a notification needs only a
 * matching Mcp-Method, if it has one. With neither header, there is nothing to check (2025 has none).
 */
export function routingHeaderProblem(
  headers: { method?: string; name?: string },
  message: { method: string; params?: unknown; id?: unknown },
): string | undefined {
  if (headers.method === undefined && headers.name === undefined) return undefined;
  const method = headers.method === undefined ? undefined : stripOws(headers.method);
  const isRequest = message.id !== undefined;
  if (method === undefined)
    return isRequest ? `Mcp-Method is missing; it must repeat the body's method (${message.method})` : undefined;
  if (method !== message.method) return `Mcp-Method ${JSON.stringify(method)} does not match the body's method`;
  if (!isRequest) return undefined;
  const field = NAME_SOURCE[message.method];
  if (field === undefined) return undefined;
  const params = message.params;
  const raw = params !== null && typeof params === 'object' ? (params as Record<string, unknown>)[field] : undefined;
  const body = typeof raw === 'string' ? raw : undefined;
  if (headers.name === undefined)
    return body === undefined ? undefined : `Mcp-Name is missing; it must repeat the body's params.${field}`;
  const sent = stripOws(headers.name);
  const decoded = decodeHeaderValue(sent);
  if (decoded === undefined)
    return `Mcp-Name ${JSON.stringify(sent)} has the =?base64?…?= form but is not canonical base64 of UTF-8`;
  if (body !== undefined && decoded !== body) return `Mcp-Name ${JSON.stringify(sent)} does not match the body's params.${field}`;
  return undefined;
}
