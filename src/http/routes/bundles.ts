// POST /v1/apply (governance as code, all or nothing) and GET /v1/export.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../../errors.js';
import type { SourceFile } from '../../registry/descriptors.js';
import type { RegistryService } from '../../registry/registry-service.js';
import { errorResponses, SourceFiles } from '../schemas.js';

const Keys = T.Array(T.String({ description: 'Kind/name' }));
const ApplyResult = T.Object({
  dryRun: T.Boolean(),
  revision: T.Integer({ description: 'registry revision after the apply' }),
  created: Keys,
  updated: Keys,
  unchanged: Keys,
  deleted: Keys,
});

interface ApplyQuery {
  dryRun: boolean;
  prune: boolean;
  file?: string;
}

export function bundleRoutes(server: FastifyInstance, registry: RegistryService, opts: { applyBodyLimit: number }): void {
  server.post<{ Querystring: ApplyQuery; Body: unknown }>(
    '/v1/apply',
    {
      bodyLimit: opts.applyBodyLimit,
      schema: {
        tags: ['registry'],
        summary: 'Apply a set of descriptors in one transaction, or nothing',
        description:
          'Body: a YAML stream of descriptors (`Content-Type: application/yaml`), or JSON `{"files":[{"path","content"}]}` ' +
          'so problems name the original files. Every problem comes back in `error.details` with file, line and column.',
        querystring: T.Object({
          dryRun: T.Boolean({ default: false, description: 'validate and report, write nothing' }),
          prune: T.Boolean({ default: false, description: 'delete registry objects the set does not contain' }),
          file: T.Optional(T.String({ description: 'name used for a YAML body in problem positions' })),
        }),
        body: T.Union([SourceFiles, T.String({ description: 'YAML descriptors' })]),
        response: { 200: ApplyResult, ...errorResponses(400, 401, 403, 413, 415, 422) },
      },
    },
    async (req) => {
      const files: SourceFile[] =
        typeof req.body === 'string'
          ? [{ path: req.query.file ?? 'request-body', content: req.body }]
          : (req.body as { files: SourceFile[] }).files;
      if (files.length === 0) throw new InputError('no files to apply');
      return registry.apply(req.principal, files, { dryRun: req.query.dryRun, prune: req.query.prune });
    },
  );

  server.get<{ Querystring: { format: 'json' | 'yaml' } }>(
    '/v1/export',
    {
      schema: {
        tags: ['registry'],
        summary: 'The whole registry as descriptor files (one per kind); applying them changes nothing',
        querystring: T.Object({ format: T.Union([T.Literal('json'), T.Literal('yaml')], { default: 'json' }) }),
        response: { 200: SourceFiles, ...errorResponses(401, 403) },
      },
    },
    async (req, reply) => {
      const files = await registry.export(req.principal);
      if (req.query.format === 'json') return { files };
      reply.type('application/yaml');
      return reply.send(files.map((f) => `# ${f.path}\n${f.content}`).join('---\n'));
    },
  );
}

/** Accepts YAML request bodies as text; `apply` and `PUT` parse them with positions. */
export function registerYamlParser(server: FastifyInstance): void {
  server.addContentTypeParser(
    ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body),
  );
}
