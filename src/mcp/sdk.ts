// The official MCP SDK, loaded on first use. Importing it takes ~0.2 s, and every `fulcrum` CLI
// command loads the server's modules: only a serving node should pay for it.
export async function importSdk() {
  const [client, stdio, server, types, ajv] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/index.js'),
    import('@modelcontextprotocol/sdk/client/stdio.js'),
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/types.js'),
    import('@modelcontextprotocol/sdk/validation/ajv'),
  ]);
  return {
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    Server: server.Server,
    CallToolRequestSchema: types.CallToolRequestSchema,
    JSONRPCMessageSchema: types.JSONRPCMessageSchema,
    messageParser: messageParser(types),
    SUPPORTED_PROTOCOL_VERSIONS: types.SUPPORTED_PROTOCOL_VERSIONS,
    ListToolsRequestSchema: types.ListToolsRequestSchema,
    AjvJsonSchemaValidator: ajv.AjvJsonSchemaValidator,
  };
}

export type Sdk = Awaited<ReturnType<typeof importSdk>>;

type Types = typeof import('@modelcontextprotocol/sdk/types.js');

/**
 * JSONRPCMessageSchema's `parse`, with the same result, for what an upstream sends. The schema is a
 * union tried in order (request, notification, result, error) whose first success wins; parsing an
 * answer through it fails the request and notification members first, building their issues (~55 µs
 * a call on the bench machine). A message's keys say which member can be the first to succeed
 * (each requires its keys: `method` and `id`, `method`, `result`, `error`): that one is tried
 * alone, and anything it refuses goes through the whole union, so both its answer and its error
 * are the union's.
 */
function messageParser(types: Types): { parse(value: unknown): unknown } {
  const union = types.JSONRPCMessageSchema;
  const memberFor = (m: Record<string, unknown>) => {
    if ('method' in m) return 'id' in m ? types.JSONRPCRequestSchema : types.JSONRPCNotificationSchema;
    if ('result' in m) return types.JSONRPCResultResponseSchema;
    if ('error' in m) return types.JSONRPCErrorResponseSchema;
    return undefined;
  };
  return {
    parse(value) {
      const member =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? memberFor(value as Record<string, unknown>)
          : undefined;
      const parsed = member?.safeParse(value);
      return parsed?.success ? parsed.data : union.parse(value);
    },
  };
}

let loading: Promise<Sdk> | undefined;
export const loadSdk = (): Promise<Sdk> => {
  loading ??= importSdk();
  return loading;
};

/**
 * The 2026-07-28 SDK's client (`@modelcontextprotocol/client`), loaded only when an upstream turns
 * out to speak that generation: a node whose upstreams all speak 2025-11-25 never pays for it.
 */
export async function importModernSdk() {
  const client = await import('@modelcontextprotocol/client');
  return { Client: client.Client };
}

export type ModernSdk = Awaited<ReturnType<typeof importModernSdk>>;

let loadingModern: Promise<ModernSdk> | undefined;
export const loadModernSdk = (): Promise<ModernSdk> => {
  loadingModern ??= importModernSdk();
  return loadingModern;
};

/** The `_meta` key of a 2026-07-28 result that names the server (the SDK's SERVER_INFO_META_KEY, without loading it). */
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';

/** JSON-RPC error codes MCP uses (the SDK's ErrorCode enum, without loading the SDK for it). */
export const RPC = { InvalidParams: -32602, InternalError: -32603, ConnectionClosed: -32000, RequestTimeout: -32001 } as const;
