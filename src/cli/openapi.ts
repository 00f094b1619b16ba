// `fulcrum openapi`: prints the HTTP API's OpenAPI document, built from the route schemas of a server on
// a scratch database (the same document GET /openapi.json serves). The typed client in src/client is
// generated from it (npm run generate:client).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/adapter.js';
import { buildServer } from '../http/server.js';
import { jsonOut } from './terminal.js';

/** The OpenAPI document of this build, as GET /openapi.json serves it (servers: the default address). */
export async function openApiDocument(options: { eagerSerializers?: boolean } = {}): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fulcrum-openapi-'));
  try {
    const config = loadConfig(
      { FULCRUM_DATA_DIR: dir },
      { logLevel: 'silent', monitorIntervalSeconds: 0, retentionIntervalHours: 0 },
    );
    const app = await createApp(config, openDatabase({ sqliteFile: path.join(dir, 'openapi.db') }));
    try {
      const server = await buildServer(app, options);
      const doc = server.swagger() as unknown as Record<string, unknown>;
      await server.close();
      return doc;
    } finally {
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function printOpenApi(): Promise<number> {
  process.stdout.write(jsonOut(await openApiDocument()));
  return 0;
}
