// A span's workflow name is not its agent when the resource names the agent (found by review): the
// docs advise naming the agent on the resource (OTEL_RESOURCE_ATTRIBUTES=gen_ai.agent.name=…) and
// read a task's workflow from gen_ai.workflow.name, but a span's own gen_ai.workflow.name won over
// its resource's gen_ai.agent.name as the agent it named. Through a collector, the task was booked to
// no agent (the workflow is no agent the collector lists), and "refunds" became a shadow agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../support/databases.js';
import { otlpExport } from '../support/otlp.js';
import { startMini, type TestServer } from '../support/server.js';

const TRACE = '5e8efff798038103d269b633813fc60c';

describe.each(ENGINES)('workflow names on %s', (engine) => {
  let t: TestServer;
  let key: string;
  beforeAll(async () => {
    ({ t } = await startMini(engine));
    const put = await t.request({
      method: 'PUT',
      url: '/v1/telemetry-collectors/otel-gateway',
      payload: { spec: { owner: 'omar.owner', agents: ['support-bot-eu'] } },
    });
    expect(put.statusCode, put.body).toBe(201);
    key = (await t.request({ method: 'POST', url: '/v1/telemetry-collectors/otel-gateway/keys' })).json().key;
  });
  afterAll(async () => t?.close());

  it("books a task and its workflow's span to the agent the resource names", async () => {
    const start = Date.now() - 60_000;
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport(
        [
          {
            traceId: TRACE,
            spanId: 'e000000000000001',
            name: 'invoke_workflow refunds',
            startMs: start,
            endMs: start + 5000,
            attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'refunds' },
          },
          {
            traceId: TRACE,
            spanId: 'e000000000000002',
            name: 'invoke_agent support',
            startMs: start + 100,
            endMs: start + 4000,
            attributes: {
              'gen_ai.operation.name': 'invoke_agent',
              'gen_ai.workflow.name': 'refunds',
              'fulcrum.task.outcome': 'resolved',
              'fulcrum.task.id': 'T-refund-1',
            },
          },
        ],
        { 'service.name': 'support', 'gen_ai.agent.name': 'support-bot-eu' },
      ),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({});
    const spans = await t.app.database.db
      .selectFrom('spans')
      .select(['span_id', 'agent', 'claimed_agent'])
      .orderBy('span_id')
      .execute();
    expect(spans).toEqual([
      { span_id: 'e000000000000001', agent: 'support-bot-eu', claimed_agent: null },
      { span_id: 'e000000000000002', agent: 'support-bot-eu', claimed_agent: null },
    ]);
    const tasks = await t.app.database.db.selectFrom('task_events').select(['task_id', 'agent', 'workflow', 'outcome']).execute();
    expect(tasks).toEqual([{ task_id: 'T-refund-1', agent: 'support-bot-eu', workflow: 'refunds', outcome: 'resolved' }]);
    const shadows = await t.app.database.db.selectFrom('shadow_agents').select('identity').execute();
    expect(shadows).toEqual([]);
  });

  it('still takes the workflow for the agent when nothing names one', async () => {
    const start = Date.now() - 30_000;
    const res = await t.request({
      method: 'POST',
      url: '/otlp/v1/traces',
      token: key,
      payload: otlpExport([
        {
          traceId: TRACE,
          spanId: 'e000000000000003',
          name: 'invoke_workflow support-bot-eu',
          startMs: start,
          endMs: start + 1000,
          attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'support-bot-eu' },
        },
      ]),
    });
    expect(res.statusCode, res.body).toBe(200);
    const span = await t.app.database.db.selectFrom('spans').select('agent').where('span_id', '=', 'e000000000000003').execute();
    expect(span).toEqual([{ agent: 'support-bot-eu' }]);
  });
});
