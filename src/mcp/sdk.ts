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
    SUPPORTED_PROTOCOL_VERSIONS: types.SUPPORTED_PROTOCOL_VERSIONS,
    ListToolsRequestSchema: types.ListToolsRequestSchema,
    AjvJsonSchemaValidator: ajv.AjvJsonSchemaValidator,
  };
}

export type Sdk = Awaited<ReturnType<typeof importSdk>>;

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

/** JSON-RPC error codes MCP uses (the SDK's ErrorCode enum, without loading the SDK for it). */
export const RPC = { InvalidParams: -32602, ConnectionClosed: -32000, RequestTimeout: -32001 } as const;
