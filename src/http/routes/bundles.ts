// POST /v1/apply (governance as code, all or nothing) and GET /v1/export.
import { Type as T } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { InputError } from '../../errors.js';
import type { SourceFile } from '../../registry/descriptors.js';
import type { RegistryService } from '../../registry/registry-service.js';
import { errorResponses, type Server, SourceFiles } from '../schemas.js';

const Keys = T.Array(T.String({ description: 'Kind/name' }));
const ApplyResult = T.Object(
  {
    dryRun: T.Boolean(),
    revision: T.Integer({ description: 'registry revision after the apply' }),
    created: Keys,
    updated: Keys,
    unchanged: Keys,
    deleted: Keys,
    warnings: T.Array(
      T.Object({
        message: T.String(),
        kind: T.Optional(T.String()),
        name: T.Optional(T.String()),
        path: T.Optional(T.String({ description: 'JSON pointer inside the descriptor' })),
        file: T.Optional(T.String()),
        line: T.Optional(T.Integer()),
        col: T.Optional(T.Integer()),
      }),
      {
        description:
          'what the apply did that it was not refused for but should know: each Tool an McpServer served before and serves no ' +
          'longer, and each Tool labelled fulcrum/mcp-server that no McpServer serves (file and line when the bundle holds it)',
      },
    ),
  },
  { $id: 'ApplyResult' },
);

export function bundleRoutes(server: Server, registry: RegistryService, opts: { applyBodyLimit: number }): void {
  server.addSchema(ApplyResult);
  server.post(
    '/v1/apply',
    {
      bodyLimit: opts.applyBodyLimit,
      schema: {
        operationId: 'applyDescriptors',
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
        response: { 200: T.Ref(ApplyResult), ...errorResponses(409, 422) },
      },
    },
    async (req) => {
      const files: SourceFile[] =
        typeof req.body === 'string' ? [{ path: req.query.file ?? 'request-body', content: req.body }] : req.body.files;
      if (files.length === 0) throw new InputError('no files to apply');
      return registry.apply(req.principal, files, { dryRun: req.query.dryRun, prune: req.query.prune });
    },
  );

  server.get(
    '/v1/export',
    {
      schema: {
        operationId: 'exportRegistry',
        tags: ['registry'],
        summary: 'The whole registry as descriptor files (one per kind); applying them changes nothing',
        querystring: T.Object({ format: T.Union([T.Literal('json'), T.Literal('yaml')], { default: 'json' }) }),
        response: {
          200: {
            description: 'the descriptor files: JSON `{"files"}`, or with `format=yaml` one YAML stream',
            content: {
              'application/json': { schema: SourceFiles },
              'application/yaml': { schema: T.String({ description: 'every file, separated by ---' }) },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const files = await registry.export(req.principal);
      if (req.query.format === 'json') return { files };
      return reply.type('application/yaml').send(files.map((f) => `# ${f.path}\n${f.content}`).join('---\n'));
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
