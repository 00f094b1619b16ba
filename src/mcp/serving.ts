// What a registry write changes about which Tools the MCP gateway serves. Stopping to serve one is
// not refused (renaming a prefix is a legitimate change), but it is never silent: the write's answer
// warns, naming each Tool and why.
import type { Problem } from '../errors.js';
import type { Desired, RegistrySnapshot } from '../registry/model.js';
import { prefixOf, resolveTool, SERVER_LABEL, type UpstreamTool } from './catalog.js';

/**
 * One warning for each Tool an McpServer served in `current` that `next` still holds and no
 * McpServer serves, and for each Tool `put` writes whose label names an McpServer that does not
 * serve it (the label says it is meant for one). A Tool without the label that no McpServer ever
 * served is not warned about: it may be decided through `POST /v1/decisions` alone.
 */
export function servingWarnings(current: RegistrySnapshot, next: RegistrySnapshot, put: Desired[]): Problem[] {
  const written = new Set(put.filter((o) => o.kind === 'Tool').map((o) => o.name));
  const warnings: Problem[] = [];
  for (const t of next.list('Tool')) {
    const labelled = t.labels[SERVER_LABEL] !== undefined;
    const before = current.has('Tool', t.name) ? resolveTool(current, t.name) : undefined;
    if (!before && !(labelled && written.has(t.name))) continue;
    if (resolveTool(next, t.name)) continue;
    const why = unserved(next, t, before);
    warnings.push({
      kind: 'Tool',
      name: t.name,
      path: labelled ? `/metadata/labels/${SERVER_LABEL.replace('/', '~1')}` : '/metadata/name',
      message: before
        ? `Tool "${t.name}" was served by McpServer "${before.server.name}" and no longer is: ${why}; agents no longer see it in tools/list, and calling it answers unknown tool`
        : `Tool "${t.name}" is served by no McpServer: ${why}; agents do not see it in tools/list`,
    });
  }
  return warnings;
}

/** Why `next` serves the Tool `t` from no McpServer. */
function unserved(next: RegistrySnapshot, t: Desired<'Tool'>, before: UpstreamTool | undefined): string {
  const label = t.labels[SERVER_LABEL];
  if (label !== undefined) {
    const server = next.get('McpServer', label);
    const says = `its label ${SERVER_LABEL} names McpServer "${label}"`;
    if (!server) return `${says}, and there is none`;
    if (t.name === `${prefixOf(server)}.`)
      return `${says}, and its name is that server's tool prefix and a dot alone, no upstream tool`;
    return `${says}, whose tool prefix "${prefixOf(server)}" does not start its name`;
  }
  const none = `no McpServer's tool prefix starts its name`;
  if (!before) return none;
  const was = next.get('McpServer', before.server.name);
  if (!was) return `${none} (McpServer "${before.server.name}" is no longer registered)`;
  if (prefixOf(was) === '')
    return `${none} (McpServer "${was.name}" now has an empty tool prefix, which serves only Tools labelled ${SERVER_LABEL}: ${was.name})`;
  return `${none} (McpServer "${was.name}" now has the tool prefix "${prefixOf(was)}")`;
}
