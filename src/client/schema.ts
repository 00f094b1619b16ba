// Generated from Fulcrum's OpenAPI document by `npm run generate:client` (openapi-typescript).
// Do not edit: change the route schemas in src/http and regenerate; test/http/contract.test.ts fails
// when this file and the server's document disagree.
export interface paths {
    "/.well-known/oauth-protected-resource": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OAuth protected-resource metadata (RFC 9728) of the agent API */
        get: operations["getProtectedResourceMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/oauth-protected-resource/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** OAuth protected-resource metadata (RFC 9728) of the MCP gateway */
        get: operations["getMcpProtectedResourceMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the IdP sends the browser back: the session cookie is set, or a page says why not */
        get: operations["finishLogin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/device": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `fulcrum login`: start the device authorization grant (RFC 8628) at the IdP */
        post: operations["startDeviceLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/device/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** `fulcrum login`: poll for the person's session once they entered the code at the IdP */
        post: operations["pollDeviceLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start signing in to the console through the IdP (authorization code flow with PKCE) */
        get: operations["startLogin"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the console session (cookie, with X-Fulcrum-CSRF) or a `fulcrum login` session (bearer) */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How to sign in to the console, and the caller's console session if the cookie holds one */
        get: operations["getAuthSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health: the server and its database answer */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/anthropic/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Anthropic-compatible messages (streaming as SSE)
         * @description Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision (audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. `Fulcrum-Data-Domains: a,b` names the data the call carries. A W3C `traceparent` (with its `tracestate`) puts the call's evidence record in the caller's trace and is sent on naming that record; an invalid one is ignored. Refusals are in the API's own error format: 403 `model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 `rate_limit_exceeded`. An upstream's own answer (an error included) is passed on as the provider sent it. docs/llm-gateway.md.
         */
        post: operations["anthropicMessages"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/openai/v1/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OpenAI-compatible chat completions (streaming as SSE)
         * @description Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision (audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. `Fulcrum-Data-Domains: a,b` names the data the call carries. A W3C `traceparent` (with its `tracestate`) puts the call's evidence record in the caller's trace and is sent on naming that record; an invalid one is ignored. Refusals are in the API's own error format: 403 `model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 `rate_limit_exceeded`. An upstream's own answer (an error included) is passed on as the provider sent it. docs/llm-gateway.md.
         */
        post: operations["openaiChatCompletions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/openai/v1/embeddings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OpenAI-compatible embeddings
         * @description Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision (audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. `Fulcrum-Data-Domains: a,b` names the data the call carries. A W3C `traceparent` (with its `tracestate`) puts the call's evidence record in the caller's trace and is sent on naming that record; an invalid one is ignored. Refusals are in the API's own error format: 403 `model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 `rate_limit_exceeded`. An upstream's own answer (an error included) is passed on as the provider sent it. docs/llm-gateway.md.
         */
        post: operations["openaiEmbeddings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/openai/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The models this agent may call through the OpenAI-compatible routes */
        get: operations["openaiListModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/openai/v1/responses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OpenAI-compatible responses (streaming as SSE)
         * @description Agent key as `Authorization: Bearer fk_…` (Anthropic clients may send it as `x-api-key`). Each call is a `model.call` decision (audited); its worst-case cost is reserved against every SpendLimit that applies and settled on the usage. `Fulcrum-Data-Domains: a,b` names the data the call carries. A W3C `traceparent` (with its `tracestate`) puts the call's evidence record in the caller's trace and is sent on naming that record; an invalid one is ignored. Refusals are in the API's own error format: 403 `model_not_allowed` naming the policy, 403 `model_unpriced`, 429 `spend_limit_exceeded` naming the limit, 429 `rate_limit_exceeded`. An upstream's own answer (an error included) is passed on as the provider sent it. docs/llm-gateway.md.
         */
        post: operations["openaiResponses"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/mcp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * MCP gateway (Streamable HTTP)
         * @description The MCP gateway (Streamable HTTP, stateless: no session id; JSON responses, or an SSE stream when a request carries a progress token). Protocol versions 2026-07-28 (server/discover, no initialize) and 2025-11-25 and before (initialize) on the same URL. Authenticate with the agent key (`Authorization: Bearer fk_…`). `tools/list` shows the MCP tools the agent's policies let it call (approval-gated ones included); `tools/call` is decided by the guard first and audited: allowed calls go to the upstream MCP server, refused ones come back as tool errors naming the policies, approval-gated ones wait (bounded) for a person. The body is a JSON-RPC 2.0 message; see docs/mcp.md. GET and DELETE /mcp answer 405 (Allow: POST): a stateless gateway offers no server-initiated SSE stream and no session to end.
         */
        post: operations["mcp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/otlp/v1/traces": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * OTLP/HTTP trace export (agent or telemetry-collector key): protobuf or JSON, gzip or not
         * @description Reads the OpenTelemetry GenAI conventions. An agent key's spans are booked to its agent; a span whose gen_ai.agent.name names another agent keeps that name as an attribution mismatch (GET /v1/signals). A collector key's spans are booked to the agent they name if the collector lists it, else to no agent (a mismatch); spans naming no agent are rejected. A name the registry does not know is also recorded as a shadow agent. Answers with OTLP partial success for rejected spans.
         */
        post: operations["exportTraces"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Agent descriptors */
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Agent */
        get: operations["getAgent"];
        /**
         * Create or replace one Agent
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putAgent"];
        post?: never;
        /**
         * Delete one Agent
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteAgent"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{name}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List agent keys (ids and prefixes, never secrets) */
        get: operations["listAgentKeys"];
        put?: never;
        /**
         * Issue an agent key; the secret is in this answer only
         * @description 409 when the Agent holds 50 live credentials or was issued 100 in the last 24 hours.
         */
        post: operations["createAgentKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{name}/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an agent key */
        delete: operations["revokeAgentKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{name}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lift a suspension */
        post: operations["resumeAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{name}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The kill switch: every node denies this agent from its next decision */
        post: operations["suspendAgent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apply": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Apply a set of descriptors in one transaction, or nothing
         * @description Body: a YAML stream of descriptors (`Content-Type: application/yaml`), or JSON `{"files":[{"path","content"}]}` so problems name the original files. Every problem comes back in `error.details` with file, line and column.
         */
        post: operations["applyDescriptors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Approval requests, newest first (an agent sees its own) */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One approval request; `wait=SECONDS` long-polls while it is pending */
        get: operations["getApproval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a pending request (approver role) */
        post: operations["approveApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a pending request (approver role) */
        post: operations["denyApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/archetypes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Archetype descriptors */
        get: operations["listArchetypes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/archetypes/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Archetype */
        get: operations["getArchetype"];
        /**
         * Create or replace one Archetype
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putArchetype"];
        post?: never;
        /**
         * Delete one Archetype
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteArchetype"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/checkpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest signed checkpoint over every audit chain, for an outside witness to keep */
        get: operations["getAuditCheckpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/public-key": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The Ed25519 public key that verifies signed audit checkpoints (keep a copy outside Fulcrum)
         * @description 409 on a node whose key is not the one the newest signed checkpoint names: such a node does not sign, and its key would check nothing.
         */
        get: operations["getAuditPublicKey"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Walk every audit chain, check every hash and check the chains against the signed checkpoints */
        get: operations["verifyAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/backup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This node's last good backup: when, where, how large, what its check found */
        get: operations["getBackupStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Budget descriptors */
        get: operations["listBudgets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Budget */
        get: operations["getBudget"];
        /**
         * Create or replace one Budget
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putBudget"];
        post?: never;
        /**
         * Delete one Budget
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteBudget"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets/{name}/alignment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Allocation against actual spend per category (spend lines + telemetry), spend without outcomes, spend on stalled pilots */
        get: operations["getAlignment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets/{name}/spend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A budget's spend imports, newest first */
        get: operations["listSpendImports"];
        put?: never;
        /** Import spend lines: CSV (date,category,amount,initiative,description) or JSON {"lines":[…]}, at most 10,000 lines an import; any bad line refuses the whole file */
        post: operations["importSpend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/budgets/{name}/spend/{importId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Withdraw a spend import and its lines (then import a corrected re-issue) */
        delete: operations["withdrawSpendImport"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/business-units": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List BusinessUnit descriptors */
        get: operations["listBusinessUnits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/business-units/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one BusinessUnit */
        get: operations["getBusinessUnit"];
        /**
         * Create or replace one BusinessUnit
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putBusinessUnit"];
        post?: never;
        /**
         * Delete one BusinessUnit
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteBusinessUnit"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/compute-pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ComputePool descriptors */
        get: operations["listComputePools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/compute-pools/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one ComputePool */
        get: operations["getComputePool"];
        /**
         * Create or replace one ComputePool
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putComputePool"];
        post?: never;
        /**
         * Delete one ComputePool
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteComputePool"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/costs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Spend by agent, initiative, model or business unit (from the daily rollups) */
        get: operations["getCosts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/data-domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List DataDomain descriptors */
        get: operations["listDataDomains"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/data-domains/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one DataDomain */
        get: operations["getDataDomain"];
        /**
         * Create or replace one DataDomain
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putDataDomain"];
        post?: never;
        /**
         * Delete one DataDomain
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteDataDomain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * May this agent make this call? (agent key)
         * @description Answers only after the decision is committed to the audit log. `approval_required` comes with an `approvalId`; once a person approves, repeat the same request with that `approvalId` (usable once, same tool and arguments).
         */
        post: operations["decide"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/{id}/outcome": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Report how an allowed call went (agent key; recorded in the audit log) */
        post: operations["reportDecisionOutcome"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/decisions/simulate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** What would happen: a decision for any agent, not recorded */
        post: operations["simulateDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/diagnostic": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Scale or fail: the six checklist areas answered from live evidence, with a verdict */
        get: operations["getDiagnostic"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report task events (agent or telemetry-collector key): task.started, task.completed, handoff.human
         * @description Each event is validated on its own; accepted ones are kept, rejected ones listed with index and reason. Re-sending an event (same agent, taskId and type) does not count it twice. An agent key books every event to its agent: an event whose `agent` names another is kept with that name as an attribution mismatch. A collector key must name each event's `agent`; one outside the collector's `agents` is booked to no agent (a mismatch).
         */
        post: operations["reportEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The whole registry as descriptor files (one per kind); applying them changes nothing */
        get: operations["exportRegistry"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Incidents, newest first; `overdue=true`: serious incidents past their reporting deadline */
        get: operations["listIncidents"];
        put?: never;
        /** Open an incident */
        post: operations["openIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incidents/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One incident with its timeline */
        get: operations["getIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incidents/{id}/notes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a note to the timeline (at most 1,000 notes an incident: 409 past it) */
        post: operations["addIncidentNote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incidents/{id}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record that the serious-incident report was made (stops the Art. 73 clock) */
        post: operations["reportIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/incidents/{id}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the status forward: open → mitigated → resolved → closed */
        post: operations["transitionIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Initiative descriptors */
        get: operations["listInitiatives"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Initiative */
        get: operations["getInitiative"];
        /**
         * Create or replace one Initiative
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putInitiative"];
        post?: never;
        /**
         * Delete one Initiative
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteInitiative"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/evidence": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An auditor's archive (tar.gz): inventory, risk, reviews, policies, audit excerpt with chain proof, monitors, incidents, outcomes */
        get: operations["exportEvidence"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/measurements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An initiative's self-reported measurements, newest first, with who recorded each and when
         * @description Every value recorded, a corrected one too (the outcomes take the latest per period), and those of a metric since renamed.
         */
        get: operations["listMeasurements"];
        put?: never;
        /** Record a value for a manual outcome metric (self-reported) */
        post: operations["recordMeasurement"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An initiative's outcome metrics: baseline, target, current (last 30 days), provenance, progress, monthly series */
        get: operations["getOutcomes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/promotions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask to move an initiative to another stage: opens a review with the sign-offs its risk tier needs */
        post: operations["promoteInitiative"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/risk-assessment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assess an initiative: answers → tier (prohibited | high | medium | low | minimal) with reasons
         * @description Every question of GET /v1/risk-questionnaire must be answered true or false; `prohibitedPractices` lists Art. 5 practices (empty when none). The new assessment is the tier in force.
         */
        post: operations["assessRisk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/risk-assessments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every assessment of an initiative, newest (the tier in force) first */
        get: operations["listRiskAssessments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/initiatives/{name}/roi": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** ROI over the last 30 days: value (improvement × valuePerUnit) against cost, each number labelled measured, self-reported or assumed */
        get: operations["getRoi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mcp-servers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List McpServer descriptors */
        get: operations["listMcpServers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mcp-servers/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one McpServer */
        get: operations["getMcpServer"];
        /**
         * Create or replace one McpServer
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putMcpServer"];
        post?: never;
        /**
         * Delete one McpServer
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteMcpServer"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mcp-servers/{name}/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An MCP server's tools as the upstream lists them, as Tool descriptors, each marked registered or not
         * @description Connects to the upstream (stdio or Streamable HTTP) from this node. `descriptor.spec.effect` is guessed from the tool's MCP annotations: review it before applying. `fulcrum mcp discover` prints and writes these.
         */
        get: operations["discoverMcpTools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List ModelEndpoint descriptors */
        get: operations["listModelEndpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/model-endpoints/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one ModelEndpoint */
        get: operations["getModelEndpoint"];
        /**
         * Create or replace one ModelEndpoint
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putModelEndpoint"];
        post?: never;
        /**
         * Delete one ModelEndpoint
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteModelEndpoint"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Model descriptors */
        get: operations["listModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Model */
        get: operations["getModel"];
        /**
         * Create or replace one Model
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putModel"];
        post?: never;
        /**
         * Delete one Model
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteModel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/monitors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Monitor descriptors */
        get: operations["listMonitors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/monitors/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Monitor */
        get: operations["getMonitor"];
        /**
         * Create or replace one Monitor
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body. Names this collection's own routes take are refused (422): `status`, `evaluate`.
         */
        put: operations["putMonitor"];
        post?: never;
        /**
         * Delete one Monitor
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteMonitor"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/monitors/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Evaluate every monitor now (they also run every FULCRUM_MONITOR_INTERVAL_SECONDS) */
        post: operations["evaluateMonitors"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/monitors/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every monitor's value, threshold and breach at the last evaluation (this node) */
        get: operations["getMonitorStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Person descriptors */
        get: operations["listPeople"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Person */
        get: operations["getPerson"];
        /**
         * Create or replace one Person
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putPerson"];
        post?: never;
        /**
         * Delete one Person
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deletePerson"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{name}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A person's live sign-in sessions (console and `fulcrum login`), never their secrets
         * @description The person themself, or an admin.
         */
        get: operations["listPersonSessions"];
        put?: never;
        post?: never;
        /**
         * End every one of a person's sign-in sessions but the one this request is made with
         * @description The person themself ("sign out everywhere else"), or an admin (a lost laptop, a phished device code, someone leaving). One `auth.signed-out` entry records who ended which. API tokens are not sessions: revoke them under /v1/people/{name}/tokens.
         */
        delete: operations["endPersonSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{name}/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one sign-in session: the next request made with it is refused (401) on every node
         * @description The person themself, or an admin. An `auth.signed-out` entry records who ended it.
         */
        delete: operations["endPersonSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{name}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API tokens (ids and prefixes, never secrets) */
        get: operations["listPersonTokens"];
        put?: never;
        /**
         * Issue an API token; the secret is in this answer only
         * @description 409 when the Person holds 50 live credentials or was issued 100 in the last 24 hours.
         */
        post: operations["createPersonToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/people/{name}/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token */
        delete: operations["revokePersonToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plan": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The plan: scale, fix-then-scale, continue or stop per active initiative (with evidence and blockers), a four-quarter roadmap within budget and compute, and the model mix
         * @description The rules and thresholds are in docs/insight.md "The plan"; each threshold can be overridden here.
         */
        get: operations["getPlan"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Policy descriptors */
        get: operations["listPolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Policy */
        get: operations["getPolicy"];
        /**
         * Create or replace one Policy
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body. Names this collection's own routes take are refused (422): `effective`.
         */
        put: operations["putPolicy"];
        post?: never;
        /**
         * Delete one Policy
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deletePolicy"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/policies/effective": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every policy in force: built-in rules generated from the registry and custom policies, as Cedar */
        get: operations["listEffectivePolicies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/portfolio": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every initiative with its stage group and risk tier in force, and the counts by stage and tier */
        get: operations["getPortfolio"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/registry/changes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent registry changes, newest first */
        get: operations["listRegistryChanges"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The board report: verdict and scorecard, outcomes against targets, ROI with provenance, spend against allocation, incidents and risks, where AI is not ready
         * @description `format=pdf` (A4, for print), `html` (one self-contained page), `md` (Markdown), or `json` (the data behind them). A PDF asked for while four others wait to be drawn on the node is answered 503 with Retry-After.
         */
        get: operations["getReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/retention": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Retention periods per data type, in days */
        get: operations["getRetention"];
        /** Change retention periods (platform or admin) */
        put: operations["putRetention"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/retention/purge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Purge what is past its period now (high-risk logs kept ≥ 6 months; incident-linked data held)
         * @description With dryRun=true, a preview: what a purge now would delete or redact and hold, counted by the same queries, with nothing changed and nothing recorded.
         */
        post: operations["purgeRetention"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reviews": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reviews, newest first */
        get: operations["listReviews"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reviews/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One review with its sign-offs */
        get: operations["getReview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reviews/{id}/sign-offs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign off a review in a role you hold; every required approval moves the stage, one reject closes it (so does an approval once the initiative left the stage the review moves it from, or was found prohibited) */
        post: operations["signOffReview"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/risk-questionnaire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The risk questionnaire: every question and the prohibited practices */
        get: operations["getRiskQuestionnaire"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/shadow-agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Identities seen acting without a valid registration, newest first, a page at a time
         * @description Unknown keys count as one identity per client address and key type (`key:fk_@<address>`). Pass the answer's `nextCursor` as `after` for the next page; there is none after the last.
         */
        get: operations["listShadowAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/signals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Pilot paralysis (pilots over 180 days), agent sprawl (per archetype, ad hoc, near-duplicates), where AI is not ready and attribution mismatches */
        get: operations["getSignals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/spend-limit-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every SpendLimit in its current period, by name, a page at a time (each as getSpendLimitStatus answers it)
         * @description Pass the answer's `nextCursor` as `after` for the next page; there is none after the last.
         */
        get: operations["listSpendLimitStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/spend-limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List SpendLimit descriptors */
        get: operations["listSpendLimits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/spend-limits/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one SpendLimit */
        get: operations["getSpendLimit"];
        /**
         * Create or replace one SpendLimit
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putSpendLimit"];
        post?: never;
        /**
         * Delete one SpendLimit
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteSpendLimit"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/spend-limits/{name}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A SpendLimit in its current period: spent, held by calls in flight, left; and its burn-down by hour */
        get: operations["getSpendLimitStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/telemetry-collectors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List TelemetryCollector descriptors */
        get: operations["listTelemetryCollectors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/telemetry-collectors/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one TelemetryCollector */
        get: operations["getTelemetryCollector"];
        /**
         * Create or replace one TelemetryCollector
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putTelemetryCollector"];
        post?: never;
        /**
         * Delete one TelemetryCollector
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteTelemetryCollector"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/telemetry-collectors/{name}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List telemetry-collector keys (ids and prefixes, never secrets) */
        get: operations["listTelemetryCollectorKeys"];
        put?: never;
        /**
         * Issue a telemetry-collector key; the secret is in this answer only
         * @description 409 when the TelemetryCollector holds 50 live credentials or was issued 100 in the last 24 hours.
         */
        post: operations["createTelemetryCollectorKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/telemetry-collectors/{name}/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a telemetry-collector key */
        delete: operations["revokeTelemetryCollectorKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Tool descriptors */
        get: operations["listTools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tools/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one Tool */
        get: operations["getTool"];
        /**
         * Create or replace one Tool
         * @description Validated like `apply`: schema, references, and every Policy against the resulting Cedar schema. JSON or YAML body.
         */
        put: operations["putTool"];
        post?: never;
        /**
         * Delete one Tool
         * @description Refused with 409 while another descriptor (or a Policy) refers to it.
         */
        delete: operations["deleteTool"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller: admin, a person with roles, an agent or a telemetry collector, and what it may do */
        get: operations["getWhoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Agent: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Agent";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description name of a Archetype */
                archetype?: string;
                description?: string;
                /** @default [] */
                extraTools: string[];
                framework?: string;
                /** @description name of a Initiative */
                initiative: string;
                /** @description the OAuth client (an access token's client_id) this agent authenticates as with FULCRUM_AGENT_TOKEN_ISSUER; unique across agents */
                oauthClientId?: string;
                /** @description name of a Person */
                owner: string;
                /** @description LLM gateway calls of this agent per minute, across all nodes (docs/llm-gateway.md) */
                rateLimits?: {
                    requestsPerMinute?: number;
                    tokensPerMinute?: number;
                };
                /**
                 * @default active
                 * @enum {string}
                 */
                status: "active" | "suspended" | "retired";
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        AgentControl: {
            actor: string;
            agent: string;
            /** Format: date-time */
            at: string;
            reason: string;
            /** @description the agent's status now: suspended, or its descriptor's status */
            status: string;
        };
        /** @description a budget's allocation against actual spend per category, and the signals on it */
        Alignment: {
            budget: string;
            categories: {
                /** @description spend lines and telemetry to date; null when the stored amounts overflow a number */
                actual: number | null;
                allocated: number;
                /** @enum {string} */
                category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                /** @description (actual − proRated) ÷ proRated; null when nothing is allocated */
                deviation: number | null;
                /** @description the deviation is beyond the tolerance */
                offPlan: boolean;
                /** @description the allocation times the share of the period elapsed */
                proRated: number;
            }[];
            currency: string;
            /** @description share of the period elapsed, 0–1 */
            elapsed: number;
            period: {
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
            spendOnStalledPilots: {
                amount: number;
                initiative: string;
                since: string;
            }[];
            spendWithoutOutcomes: {
                initiatives: {
                    amount: number;
                    initiative: string;
                }[];
                /** @description of the total, 0–1 */
                share: number;
                total: number;
            };
            /** @description for a budget in another currency than USD: the model-call cost measured from telemetry (in USD) in its period to date, which its actuals leave out (Fulcrum converts no currency) */
            telemetryNotIncludedUsd?: number;
            /** @description actual spend to date */
            total: number;
            /** @description model calls in its period to date without a price (a model not registered, or not priced that day): their cost is unknown and in no category, so model-licences and infrastructure-compute are lower bounds (GET /v1/signals lists them) */
            unpricedModelCalls: number;
        };
        /** @description an error in Anthropic's format (the Anthropic-compatible route) */
        AnthropicError: {
            /** @description beside the code, what the refusal names (the limit, the policies, details) */
            error: {
                /** @description Fulcrum's stable code, e.g. model_not_allowed, spend_limit_exceeded, upstream_timeout */
                code: string;
                message: string;
                /** @description e.g. invalid_request_error, authentication_error, permission_error, rate_limit_error */
                type: string;
            } & {
                [key: string]: unknown;
            };
            /** @enum {string} */
            type: "error";
        };
        ApplyResult: {
            created: string[];
            deleted: string[];
            dryRun: boolean;
            /** @description registry revision after the apply */
            revision: number;
            unchanged: string[];
            updated: string[];
            /** @description what the apply did that it was not refused for but should know: each Tool an McpServer served before and serves no longer, and each Tool labelled fulcrum/mcp-server that no McpServer serves (file and line when the bundle holds it) */
            warnings: {
                col?: number;
                file?: string;
                kind?: string;
                line?: number;
                message: string;
                name?: string;
                /** @description JSON pointer inside the descriptor */
                path?: string;
            }[];
        };
        Approval: {
            agent: string;
            agentOwner: string | null;
            /** @description the tool call arguments the agent asked to use */
            arguments: unknown;
            /** @description everyone who bound that OAuth client to the agent (set its spec.oauthClientId), who may not decide it either; recorded since 2026-12-07 */
            clientBinders: string[];
            comment: string | null;
            /** Format: date-time */
            createdAt: string;
            dataDomains: string[];
            decidedAt: string | null;
            decidedBy: string | null;
            /** @description the decision that opened it */
            decisionId: string;
            /** Format: date-time */
            expiresAt: string;
            id: string;
            keyIssuer: string | null;
            oauthClient: string | null;
            reasons: components["schemas"]["Reason"][];
            revokedAt: string | null;
            revokedReason: string | null;
            /** @enum {string} */
            status: "pending" | "approved" | "denied" | "expired" | "used" | "revoked";
            tool: string;
            usedAt: string | null;
            usedDecisionId: string | null;
        };
        Archetype: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Archetype";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @enum {string} */
                autonomy: "suggest" | "supervised" | "autonomous";
                /** @default [] */
                dataDomains: string[];
                description?: string;
                /** @default [] */
                frameworks: string[];
                /**
                 * @description when the agent must hand the task to a human, and to whom
                 * @default []
                 */
                handoffRules: {
                    to: string;
                    when: string;
                }[];
                /** @default [] */
                models: string[];
                /** @default [] */
                tools: string[];
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        AuditEntry: {
            action: string | null;
            /** @description who acted, e.g. agent:support-bot, person:ada, admin */
            actor: string;
            agent: string | null;
            approvalId: string | null;
            /** @description the tool call's arguments as the agent sent them; null when not kept */
            arguments: unknown;
            argumentsHash: string | null;
            /** Format: date-time */
            at: string;
            chainId: string;
            dataDomains: string[];
            decision: ("allow" | "deny" | "approval_required") | null;
            /** @description the act's particulars, by kind */
            detail: {
                [key: string]: unknown;
            };
            /** @description this entry's link in its hash chain */
            hash: string;
            id: string;
            /** @description decision, approval.approved, agent.suspended, auth.signed-in, ... (docs/audit.md) */
            kind: string;
            /** @description monitor-mode policies that would have denied or required approval */
            monitor: components["schemas"]["Reason"][];
            /** @description the registry revision the decision was made with */
            policyVersion: number;
            reasons: components["schemas"]["Reason"][];
            seq: number;
            target: string | null;
            taskId: string | null;
        };
        AuditFinding: {
            chainId: string;
            /** @description the entry's id, or '-' */
            id: string;
            /**
             * @description what kind of damage (docs/audit.md names the tampering each means)
             * @enum {string}
             */
            kind?: "missing-entry" | "link-broken" | "content-changed" | "arguments-changed" | "rewritten" | "truncated" | "chain-deleted" | "start-forged" | "appended" | "checkpoint-forged";
            problem: string;
            /** @description the entry concerned; for a cut chain, the first entry missing */
            seq: number;
        };
        AuditVerification: {
            broken?: components["schemas"]["AuditFinding"];
            /** @description chains holding entries */
            chains: number;
            /** @description the newest signed checkpoint checked against */
            checkpoint?: {
                /** Format: date-time */
                at: string;
                chains: number;
                entries: number;
                source: string;
            };
            /** @description checkpoints in the database signed with another key before this key's first, per key id (a key rotation): not checked with this key, and not findings */
            earlierKeys?: {
                [key: string]: number;
            };
            /** @description entries that verified */
            entries: number;
            findings?: components["schemas"]["AuditFinding"][];
            ok: boolean;
            /**
             * @description whether signed checkpoints were checked
             * @enum {string}
             */
            signatures?: "checked" | "unchecked";
        };
        AuthSession: {
            session: {
                /** @description send as X-Fulcrum-CSRF with every request that changes something */
                csrfToken: string;
                /** Format: date-time */
                expiresAt: string;
                person: string;
                roles: ("admin" | "platform" | "owner" | "reviewer:risk" | "reviewer:legal" | "reviewer:security" | "reviewer:data" | "approver" | "viewer")[];
            } | null;
            signIn: {
                /** @description `fulcrum login` can sign in through the IdP (POST /auth/device) */
                deviceLogin: boolean;
                /** @description the IdP's name, for the button */
                name?: string;
                /** @description people sign in through the IdP (GET /auth/login) */
                oidc: boolean;
            };
        };
        BackupStatus: {
            /** @enum {string} */
            engine: "sqlite" | "postgres";
            lastBackup?: {
                ageSeconds: number;
                /**
                 * Format: date-time
                 * @description when it was taken
                 */
                at: string;
                bytes: number;
                /** @description what its check found (integrity, audit chains, signed checkpoints) */
                checked?: string;
                /** @description where it was written, on the machine that wrote it */
                file: string;
                /** @description how long copying and checking it took */
                seconds?: number;
            };
            /** @description why there is no backup to show (every state but recorded) */
            note?: string;
            /**
             * @description recorded: the last backup `fulcrum backup` wrote whole and checked clean; none: there has been none; unreadable: its record cannot be read (the age is unknown, not zero); elsewhere: PostgreSQL, backed up with pg_dump outside Fulcrum
             * @enum {string}
             */
            state: "recorded" | "none" | "unreadable" | "elsewhere";
        };
        Budget: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Budget";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /**
                 * @description spend booked outside telemetry (invoices, contracts)
                 * @default []
                 */
                actuals: {
                    amount: number;
                    /** @enum {string} */
                    category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                    /**
                     * Format: date
                     * @description YYYY-MM-DD
                     */
                    date: string;
                    description?: string;
                    /** @description name of a Initiative */
                    initiative?: string;
                }[];
                /** @default [] */
                allocations: {
                    amount: number;
                    /** @enum {string} */
                    category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                    /** @description name of a Initiative */
                    initiative?: string;
                }[];
                /**
                 * @description ISO 4217 code
                 * @default USD
                 */
                currency: string;
                period: {
                    /**
                     * Format: date
                     * @description YYYY-MM-DD
                     */
                    from: string;
                    /**
                     * Format: date
                     * @description YYYY-MM-DD
                     */
                    to: string;
                };
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        BusinessUnit: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "BusinessUnit";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description name of a Person */
                owner?: string;
                title: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        ComputePool: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "ComputePool";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                capacity: number;
                forecastDemand?: number;
                /** @default false */
                powerConstrained: boolean;
                region: string;
                /** @description e.g. gpu-hours/month */
                unit: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        /** @description spend grouped by agent, initiative, model or business unit, from the daily rollups */
        Costs: {
            /** Format: date */
            from: string;
            /** @enum {string} */
            groupBy: "agent" | "initiative" | "model" | "business-unit";
            /** @description the first `limit` groups, most spend first (then most model calls) */
            rows: {
                /** @description model calls, priced or not */
                calls: number;
                costUsd: number;
                inputTokens: number;
                /** @description the agent, initiative, model or business unit; "(unregistered)" for none; by model, "(no model)" for model calls that named none and self-reported cost */
                key: string;
                outputTokens: number;
                /** @description unpriced calls by reason: the model is no registry Model (name or alias), it has no USD price that day, the span did not report both its input and output token counts, or the provider billed a service tier above the price */
                unpriced: {
                    noPrice: number;
                    noUsage: number;
                    serviceTier: number;
                    unknownModel: number;
                };
                /** @description model calls without a cost (not in costUsd): see unpriced */
                unpricedCalls: number;
            }[];
            /** Format: date */
            to: string;
            /** @description how many groups there are in all (rows holds the first `limit`) */
            totalRows: number;
        };
        /** @description an API token or key as listed: never its secret */
        Credential: {
            /** Format: date-time */
            createdAt: string;
            createdBy: string;
            description: string | null;
            id: string;
            /** @description the first characters of the secret, to recognise it */
            prefix: string;
            revokedAt: string | null;
            /** @description who revoked it (as createdBy names them); null while live, and for those revoked before it was recorded */
            revokedBy: string | null;
        };
        DataDomain: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "DataDomain";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @enum {string} */
                classification: "public" | "internal" | "confidential" | "restricted";
                description?: string;
                maturity?: {
                    /** @enum {string} */
                    accessPolicy: "none" | "draft" | "enforced";
                    /**
                     * Format: date
                     * @description YYYY-MM-DD
                     */
                    assessedAt?: string;
                    /** @enum {string} */
                    lineage: "none" | "partial" | "complete";
                    productionReady: boolean;
                    /** @enum {string} */
                    quality: "low" | "medium" | "high";
                };
                /** @description name of a Person */
                owner: string;
                /** @default [] */
                regions: string[];
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        Decision: {
            /** @description with approval_required: the request a person decides */
            approvalId?: string;
            /** @enum {string} */
            decision: "allow" | "deny" | "approval_required";
            decisionId: string;
            /** @description monitor-mode policies that would have denied or required approval */
            monitor?: components["schemas"]["Reason"][];
            /** @description the registry revision the decision was made with */
            policyVersion: number;
            reasons: components["schemas"]["Reason"][];
        };
        DecisionRequest: {
            /** @enum {string} */
            action: "tool.call" | "model.call";
            approvalId?: string;
            /** @description for tool.call: checked against the tool schema */
            arguments?: {
                [key: string]: unknown;
            };
            dataDomains?: string[];
            /** @description for model.call */
            model?: string;
            taskId?: string;
            /** @description for tool.call */
            tool?: string;
        };
        DeviceAuthorization: {
            /** @description poll POST /auth/device/token with it */
            deviceCode: string;
            /** @description seconds the code stays valid */
            expiresIn: number;
            /** @description seconds between polls */
            interval: number;
            /** @description the code the person enters at the IdP */
            userCode: string;
            verificationUri: string;
            verificationUriComplete?: string;
        };
        DeviceSession: {
            /** Format: date-time */
            expiresAt: string;
            person: string;
            /** @description the person's session token: send it as a bearer token */
            token: string;
        };
        /** @description scale or fail: the six checklist areas answered from live evidence, with a verdict */
        Diagnostic: {
            areas: {
                action: string;
                /** @enum {string} */
                area: "outcomes" | "agents" | "data-infrastructure" | "governance" | "operating-model" | "budget";
                evidence: {
                    label: string;
                    value: string | number;
                }[];
                question: string;
                /** @enum {string} */
                status: "pass" | "partial" | "fail" | "unknown";
                /** @description why the status is unknown */
                why?: string;
            }[];
            /** Format: date-time */
            generatedAt: string;
            /** @enum {string} */
            verdict: "scale" | "at-risk" | "fail";
            /** @description the last 30 days */
            window: {
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
        };
        EffectivePolicy: {
            /** @description for a forbid annotated @approval("why"): it needs a person */
            approval?: string;
            description?: string;
            /** @enum {string} */
            effect: "permit" | "forbid";
            /** @description `builtin/...`, or the Policy descriptor's name (`name/N` when it holds several) */
            id: string;
            /** @enum {string} */
            mode: "enforce" | "monitor";
            /** @enum {string} */
            source: "builtin" | "custom";
            /** @description the Cedar text */
            text: string;
        };
        EndedSessions: {
            /** @description the ids of the sessions ended */
            ended: string[];
        };
        /** @description Every error answer has this shape. */
        Error: {
            error: {
                /** @enum {string} */
                code: "bad_request" | "validation_failed" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "request_timeout" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "headers_too_large" | "internal" | "unavailable";
                details?: unknown;
                message: string;
            };
        };
        /** @description OTLP's answer to a trace export */
        ExportTraceServiceResponse: {
            /** @description present when spans were rejected or a warning applies */
            partialSuccess?: {
                /** @description why, per rejected span; or a warning when spans were kept but nothing was counted */
                errorMessage: string;
                /** @description spans not kept (an int64, as OTLP JSON writes it) */
                rejectedSpans: string;
            };
        };
        Health: {
            /**
             * @description the engine
             * @enum {string}
             */
            database: "sqlite" | "postgres";
            /** @description the registry revision; absent when the database does not answer */
            revision?: number;
            /** @enum {string} */
            status: "ok" | "unavailable";
        };
        Incident: {
            agents: string[];
            awareAt: string | null;
            description: string | null;
            id: string;
            initiatives: string[];
            /** Format: date-time */
            openedAt: string;
            owner: string | null;
            reporting: {
                daysLeft: number | null;
                /** Format: date-time */
                dueAt: string;
                overdue: boolean;
                reportedAt: string | null;
            } | null;
            reportReference: string | null;
            seriousIncident: boolean;
            seriousKind: ("death" | "widespread-infringement" | "critical-infrastructure" | "other") | null;
            /** @enum {string} */
            severity: "sev1" | "sev2" | "sev3" | "sev4";
            source: string | null;
            /** @enum {string} */
            status: "open" | "mitigated" | "resolved" | "closed";
            title: string;
            /** Format: date-time */
            updatedAt: string;
        };
        IncidentWithTimeline: {
            agents: string[];
            awareAt: string | null;
            description: string | null;
            id: string;
            initiatives: string[];
            /** Format: date-time */
            openedAt: string;
            owner: string | null;
            reporting: {
                daysLeft: number | null;
                /** Format: date-time */
                dueAt: string;
                overdue: boolean;
                reportedAt: string | null;
            } | null;
            reportReference: string | null;
            seriousIncident: boolean;
            seriousKind: ("death" | "widespread-infringement" | "critical-infrastructure" | "other") | null;
            /** @enum {string} */
            severity: "sev1" | "sev2" | "sev3" | "sev4";
            source: string | null;
            /** @enum {string} */
            status: "open" | "mitigated" | "resolved" | "closed";
            timeline: {
                actor: string;
                /** Format: date-time */
                at: string;
                /** @description opened, status, note, reported, linked (an agent that left a linked initiative), suspending (a monitor's kill switch owed, with the agents) and suspended (made) */
                kind: string;
                note: string | null;
                status: ("open" | "mitigated" | "resolved" | "closed") | null;
            }[];
            title: string;
            /** Format: date-time */
            updatedAt: string;
        };
        Initiative: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Initiative";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description name of a BusinessUnit */
                businessUnit: string;
                description?: string;
                forecast?: {
                    /** @description compute one task uses on a ComputePool, in the pool's unit (e.g. gpu-hours), for self-hosted models */
                    computePerTask?: number;
                    /** @description tasks a month at scale: the owner's forecast, labelled self-reported */
                    tasksPerMonth?: number;
                };
                /** @description name of a Person */
                incidentOwner?: string;
                /** @default [] */
                outcomes: {
                    baseline: {
                        period: string;
                        value: number;
                    };
                    /** @enum {string} */
                    direction: "increase" | "decrease";
                    name: string;
                    /** @enum {string} */
                    source: "resolution_rate" | "escalation_rate" | "error_rate" | "cost_per_resolved_task" | "avg_handle_time" | "time_saved_hours" | "manual";
                    target: number;
                    unit: string;
                    /** @description an assumption, always labelled as such: USD per unit of improvement, as costs are (Fulcrum converts no currency) */
                    valuePerUnit?: number;
                }[];
                /** @description name of a Person */
                oversightOwner?: string;
                /** @description name of a Person */
                owner: string;
                /** @enum {string} */
                riskTier?: "minimal" | "low" | "medium" | "high" | "prohibited";
                /** @enum {string} */
                stage: "proposed" | "pilot" | "production" | "scaled" | "retired";
                /**
                 * Format: date
                 * @description YYYY-MM-DD
                 */
                stageSince?: string;
                title: string;
                /** @enum {string} */
                type: "chatbot" | "copilot" | "agent";
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        IssuedKey: {
            id: string;
            /** @description the secret: shown in this answer only */
            key: string;
            prefix: string;
        };
        IssuedToken: {
            id: string;
            prefix: string;
            /** @description the secret: shown in this answer only */
            token: string;
        };
        /** @description a JSON-RPC 2.0 error answering a request that could not be read */
        JsonRpcError: {
            error: {
                /** @description a JSON-RPC error code, e.g. -32600, -32700, -32000 */
                code: number;
                data?: unknown;
                message: string;
            };
            id: null;
            /** @enum {string} */
            jsonrpc: "2.0";
        };
        McpServer: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "McpServer";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description how long an MCP call waits for a human approval */
                approvalWaitSeconds?: number;
                args?: string[];
                command?: string;
                description?: string;
                /** @description http only: request headers sent to the upstream, each value a secret the operator provides ({env: FULCRUM_SECRET_…}) */
                headers?: {
                    [key: string]: {
                        /** @description an environment variable named FULCRUM_SECRET_… */
                        env: string;
                    };
                };
                timeoutMs?: number;
                /** @description Tools are named <toolPrefix>.<tool> (default: the server name); "" keeps upstream names */
                toolPrefix?: string;
                /** @enum {string} */
                transport: "stdio" | "http";
                /** Format: uri */
                url?: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        /** @description an MCP server's tools as the upstream lists them, as Tool descriptors */
        McpToolDiscovery: {
            /** @description the server's tool-name prefix ('' when none) */
            prefix: string;
            server: string;
            tools: {
                descriptor: {
                    /** @enum {string} */
                    apiVersion: "fulcrum/v1";
                    /** @enum {string} */
                    kind: "Tool";
                    metadata: {
                        labels: {
                            [key: string]: string;
                        };
                        name: string;
                    };
                    spec: {
                        /** @description the tool's inputSchema (a JSON Schema) */
                        arguments: {
                            [key: string]: unknown;
                        };
                        dataDomains: string[];
                        description?: string;
                        /**
                         * @description a guess from the tool's MCP annotations: review it before applying
                         * @enum {string}
                         */
                        effect: "read" | "write" | "destructive";
                        system: string;
                    };
                };
                /** @description the name agents see in tools/list */
                mcpName: string;
                /** @description the registry Tool name: <prefix>.<tool> */
                name: string;
                /** @description the registry has a Tool of this name */
                registered: boolean;
                /** @description the name the upstream gave it */
                upstreamName: string;
            }[];
        };
        /** @description a self-reported value of a manual outcome metric */
        Measurement: {
            initiative: string;
            metric: string;
            period: string;
            /** @enum {string} */
            provenance: "self-reported";
            /** Format: date-time */
            recordedAt: string;
            /** @description person:NAME, or the kind of credential that recorded it */
            recordedBy: string;
            value: number;
        };
        Model: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Model";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description model ids that mean this Model */
                aliases?: string[];
                /**
                 * @description how the model mix reads at a glance (docs/insight.md "Model mix")
                 * @enum {string}
                 */
                capabilityClass?: "frontier" | "mid-tier" | "small" | "open-weight";
                /** @description the most input tokens one call can read: the gateway's bound when a request's input cannot be measured */
                contextWindow?: number;
                /** @description name of a ModelEndpoint */
                endpoint?: string;
                /** @enum {string} */
                hosting: "vendor" | "self-hosted";
                /** @enum {string} */
                maxClassification: "public" | "internal" | "confidential" | "restricted";
                /** @description output tokens reserved for a gateway call that sets no max_tokens */
                maxOutputTokens?: number;
                /** @default [] */
                pricing: {
                    cachedInputPerMillion?: number;
                    cacheWriteInputPerMillion?: number;
                    /**
                     * @description ISO 4217 code
                     * @default USD
                     */
                    currency: string;
                    /**
                     * Format: date
                     * @description YYYY-MM-DD
                     */
                    from: string;
                    inputPerMillion: number;
                    /** @description rates for a whole call whose input is over aboveInputTokens (docs/governance-as-code.md) */
                    longContext?: {
                        aboveInputTokens: number;
                        cachedInputPerMillion?: number;
                        cacheWriteInputPerMillion?: number;
                        inputPerMillion: number;
                        outputPerMillion: number;
                    };
                    outputPerMillion: number;
                }[];
                provider: string;
                /** @default [] */
                regions: string[];
                /** @enum {string} */
                status: "approved" | "restricted" | "banned";
                /** @description the provider's model id (default: the Model's name) */
                upstreamName?: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        ModelEndpoint: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "ModelEndpoint";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @enum {string} */
                api: "openai" | "anthropic";
                /**
                 * Format: uri
                 * @description the API up to its version, e.g. https://api.openai.com/v1
                 */
                baseUrl: string;
                credential?: {
                    /** @description an environment variable named FULCRUM_SECRET_… */
                    env: string;
                };
                description?: string;
                /**
                 * @description openai only: the member the gateway sets when a chat call names no output limit (the Model's maxOutputTokens); default max_completion_tokens (OpenAI's own, which its reasoning models require); max_tokens or both for an OpenAI-compatible server that reads only max_tokens
                 * @enum {string}
                 */
                outputLimit?: "max_completion_tokens" | "max_tokens" | "both";
                /**
                 * @description the service tier the gateway asks for when a call names none or auto, so the provider never picks one billed above the Model's price: default or flex (openai), standard_only (anthropic)
                 * @enum {string}
                 */
                serviceTier?: "default" | "flex" | "standard_only";
                /**
                 * @description bound on one whole call
                 * @default 600000
                 */
                timeoutMs: number;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        Monitor: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Monitor";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description name of a Agent */
                agent?: string;
                /** @description cost_per_day only: measure against this Budget — the value is the share of its daily allocation (1 = on plan) */
                budget?: string;
                description?: string;
                /** @description name of a Initiative */
                initiative?: string;
                /**
                 * @description deny_rate and approval_rate over decisions; error_rate and escalation_rate over completed tasks (fractions 0–1); cost_per_day in USD; shadow_agents and monitor_policy_hits as counts
                 * @enum {string}
                 */
                metric: "deny_rate" | "approval_rate" | "error_rate" | "escalation_rate" | "cost_per_day" | "shadow_agents" | "monitor_policy_hits";
                /**
                 * @description rates need at least this many decisions or tasks
                 * @default 20
                 */
                minSamples: number;
                /** @enum {string} */
                severity: "sev1" | "sev2" | "sev3" | "sev4";
                /**
                 * @description sev1 only: suspend the agents in scope (the kill switch)
                 * @default false
                 */
                suspendOnBreach: boolean;
                /** @description a breach is a value above this */
                threshold: number;
                /**
                 * @description e.g. 15m, 1h, 1d
                 * @default 1h
                 */
                window: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        /** @description a monitor's value, threshold and breach at an evaluation */
        MonitorStatus: {
            /** @description the value is above the threshold (with enough samples) */
            breached: boolean;
            /** @description the breach's incident was already open: nothing new was opened */
            deduplicated?: boolean;
            /** @description this monitor could not be evaluated this time (the others were): why; value and breach are not measured */
            error?: string;
            /** Format: date-time */
            evaluatedAt: string;
            /** @description the incident the breach opened (or found open) */
            incident?: string;
            /** @enum {string} */
            metric: "deny_rate" | "approval_rate" | "error_rate" | "escalation_rate" | "cost_per_day" | "shadow_agents" | "monitor_policy_hits";
            monitor: string;
            /** @description decisions or tasks the value is measured over */
            samples: number;
            /** @description agents suspended by the breach (suspendOnBreach) */
            suspended?: string[];
            threshold: number;
            /** @description rates as fractions 0–1, cost_per_day in USD (or a share of the budget), counts */
            value: number;
        };
        /** @description an error in OpenAI's format (the OpenAI-compatible routes) */
        OpenAiError: {
            /** @description beside the code, what the refusal names (the limit, the policies, details) */
            error: {
                /** @description Fulcrum's stable code, e.g. model_not_allowed, spend_limit_exceeded, upstream_timeout */
                code: string;
                message: string;
                /** @description the request field at fault, e.g. model */
                param: string | null;
                /** @description e.g. invalid_request_error, authentication_error, permission_error, insufficient_quota */
                type: string;
            } & {
                [key: string]: unknown;
            };
        };
        /** @description an initiative's outcome metrics against their baselines and targets */
        Outcomes: {
            /** @description the initiative's agents, whose telemetry is measured */
            agents: string[];
            initiative: string;
            metrics: {
                baseline: {
                    period: string;
                    value: number;
                };
                /** @description the last 30 days (manual metrics: the latest measurement); null: not measured */
                current: number | null;
                /** @enum {string} */
                direction: "increase" | "decrease";
                name: string;
                /** @description why a metric cannot be measured yet */
                note?: string;
                /** @description (current − baseline) / (target − baseline): 0 at baseline, 1 at target */
                progress: number | null;
                /** @enum {string} */
                provenance: "measured" | "self-reported" | "none";
                /** @description calendar months (manual metrics: the periods measured) */
                series: {
                    period: string;
                    value: number;
                }[];
                /** @enum {string} */
                source: "resolution_rate" | "escalation_rate" | "error_rate" | "cost_per_resolved_task" | "avg_handle_time" | "time_saved_hours" | "manual";
                target: number;
                unit: string;
                /** @description USD per unit of improvement (costs are USD; Fulcrum converts no currency): an assumption the initiative states, not a measurement */
                valuePerUnit?: {
                    /** @enum {boolean} */
                    assumption: true;
                    value: number;
                };
            }[];
            /** @description the last 30 days: what `current` is measured over */
            window: {
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
        };
        Person: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Person";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description name of a BusinessUnit */
                businessUnit?: string;
                displayName: string;
                /** Format: email */
                email?: string;
                /** @default [] */
                roles: ("admin" | "platform" | "owner" | "reviewer:risk" | "reviewer:legal" | "reviewer:security" | "reviewer:data" | "approver" | "viewer")[];
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        /** @description a recommendation per active initiative, a four-quarter roadmap within budget and compute, the model mix */
        Plan: {
            assumptions: string[];
            generatedAt: string;
            initiatives: {
                /** @description mean progress from baseline to target, each metric clamped to −1…1 */
                attainment: number | null;
                blockers: {
                    /** @description what clears it */
                    action: string;
                    detail: string;
                    /** @enum {string} */
                    gap: "unready-data" | "untiered" | "high-risk-owners" | "review-waiting" | "no-outcome-metric" | "unmeasured-outcomes" | "stalled" | "thin-evidence" | "open-incident" | "roi-negative" | "roi-unmeasured" | "over-allocation" | "compute-capacity" | "non-standard-agent";
                    /** @description a Person, or a role when any holder may act */
                    owner: string;
                    /** @description the people holding that role */
                    people?: string[];
                }[];
                evidence: {
                    label: string;
                    value: string | number;
                }[];
                name: string;
                owner: string;
                /** @description the rule that decided it */
                reason: string;
                /** @enum {string} */
                recommendation: "scale" | "fix-then-scale" | "continue" | "stop";
                riskTier: string | null;
                roi: number | null;
                stage: string;
                title: string;
            }[];
            modelMix: {
                /** @description recommended switches only */
                annualSavingUsd: number | null;
                archetype: string | null;
                /** @description Φ(z) of the one-sided non-inferiority test */
                confidence: number | null;
                difference: {
                    lowerBound: number;
                    observed: number;
                } | null;
                /** @description at the candidate's list price for today's tokens per task (assumed) */
                estimatedAnnualSavingUsd: number | null;
                from: string;
                initiative: string;
                moreTasksNeeded: {
                    from: number;
                    to: number;
                } | null;
                reason: string;
                to: string;
                /** @enum {string} */
                verdict: "switch" | "keep" | "undecided";
            }[];
            modelUsage: {
                agents: string[];
                archetype: string | null;
                classification: string | null;
                /** @description tasks reported as events, with no trace to join to a model */
                eventTasks: number;
                initiative: string;
                models: {
                    calls: number;
                    /** @description frontier, mid-tier, small, open-weight, or unclassified */
                    capabilityClass: string;
                    costPerSuccessfulTaskUsd: number | null;
                    costPerTaskUsd: number | null;
                    costUsd: number;
                    hosting: string | null;
                    inputTokens: number;
                    model: string;
                    outputTokens: number;
                    resolved: number;
                    status: string;
                    successRate: number | null;
                    tasks: number;
                    unpricedCalls: number;
                }[];
                unattributed: {
                    mixedModels: number;
                    noModelCall: number;
                };
            }[];
            quarters: {
                budget: string | null;
                /** @enum {string} */
                budgetProvenance: "declared" | "assumed" | "none";
                days: number;
                from: string;
                label: string;
                to: string;
            }[];
            roadmap: {
                /** @enum {string} */
                action: "scale" | "retire";
                compute: {
                    detail: string;
                    /** @description pools in regions its models run in and its data may live in */
                    eligible: string[];
                    /** @description extra demand at scale, in the pool's unit */
                    extra?: number;
                    pool?: string;
                    /** @enum {string} */
                    status: "none" | "fits" | "short" | "unknown";
                    unit?: string;
                };
                cost: {
                    annualUsd: number | null;
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "assumed";
                    why?: string;
                };
                initiative: string;
                netValueUsd: number | null;
                notes: string[];
                /** @description e.g. 2027-Q1; null while it waits */
                quarter: string | null;
                recommendation: string;
                shortfalls: {
                    available: number;
                    /** @enum {string} */
                    kind: "budget" | "compute";
                    missing: number;
                    needed: number;
                    quarter: string;
                    unit: string;
                    /** @description a budget category or a compute pool */
                    what: string;
                }[];
                /** @description USD per budget category */
                spendPerQuarter: {
                    [key: string]: number;
                };
                /** @enum {string} */
                status: "scheduled" | "waits";
                value: {
                    annualUsd: number | null;
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "assumed";
                    why?: string;
                };
                volume: {
                    /** @description tasks a month at scale */
                    atScale: number | null;
                    /** @enum {string} */
                    basis: "forecast" | "trend" | "current" | "none";
                    detail: string;
                    /** @description tasks in the last 30 days */
                    now: number;
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "assumed";
                };
            }[];
            thresholds: {
                [key: string]: number;
            };
            window: {
                from: string;
                to: string;
            };
        };
        Policy: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Policy";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /** @description one or more Cedar policies */
                cedar: string;
                /** @description the message of this policy's reasons (with no @approval) */
                description?: string;
                /**
                 * @default enforce
                 * @enum {string}
                 */
                mode: "enforce" | "monitor";
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        Portfolio: {
            counts: {
                /** @description initiatives per stage */
                byStage: {
                    pilot: number;
                    production: number;
                    proposed: number;
                    retired: number;
                    scaled: number;
                };
                byStageGroup: {
                    active: number;
                    planned: number;
                    retired: number;
                };
                /** @description one row per tier in force, least risky first, then untiered; rows with no initiative included */
                byTier: {
                    /** @description initiatives per stage */
                    byStage: {
                        pilot: number;
                        production: number;
                        proposed: number;
                        retired: number;
                        scaled: number;
                    };
                    /** @enum {string} */
                    tier: "minimal" | "low" | "medium" | "high" | "prohibited" | "untiered";
                    total: number;
                }[];
                total: number;
            };
            /** @description most mature first (scaled, production, pilot), then proposed, then retired; by name within a stage */
            initiatives: {
                /** @description in pilot, production or scaled: it runs, spends and is measured */
                active: boolean;
                businessUnit: string;
                name: string;
                /** @description outcome metrics the descriptor declares */
                outcomes: number;
                owner: string;
                /** @enum {string} */
                stage: "proposed" | "pilot" | "production" | "scaled" | "retired";
                /**
                 * @description planned (proposed), active (pilot, production, scaled) or retired
                 * @enum {string}
                 */
                stageGroup: "planned" | "active" | "retired";
                stageSince: string | null;
                /** @description the risk tier in force: the latest risk assessment’s, else the declared one */
                tier: {
                    assessedAt: string | null;
                    declared: ("minimal" | "low" | "medium" | "high" | "prohibited") | null;
                    /**
                     * @description assessment: the latest risk assessment decided it; declared: the descriptor’s riskTier (not assessed yet); none: neither
                     * @enum {string}
                     */
                    source: "assessment" | "declared" | "none";
                    tier: ("minimal" | "low" | "medium" | "high" | "prohibited") | null;
                };
                title: string;
                /** @enum {string} */
                type: "chatbot" | "copilot" | "agent";
            }[];
        };
        /** @description RFC 9728 protected-resource metadata */
        ProtectedResourceMetadata: {
            authorization_servers: string[];
            bearer_methods_supported: string[];
            resource: string;
            resource_documentation: string;
            resource_name: string;
        };
        /** @description a policy that determined (or, in monitor mode, would have changed) a decision */
        Reason: {
            /** @enum {string} */
            effect: "permit" | "forbid" | "approval";
            message?: string;
            /** @description the policy id, e.g. a built-in rule or a Policy descriptor */
            policy: string;
        };
        RegistryChange: {
            /** @enum {string} */
            action: "created" | "updated" | "deleted";
            /** @description who made it, e.g. person:ada, admin */
            actor: string;
            /** Format: date-time */
            at: string;
            id: number;
            /** @description the descriptor kind, e.g. Agent (as recorded: a kind since removed stays) */
            kind: string;
            name: string;
            /** @description the registry revision this change made */
            revision: number;
        };
        /** @description the board report: what the md, html and pdf renderings show */
        Report: {
            /** @description budgets covering today */
            budgets: {
                categories: {
                    /** @description spend lines and telemetry to date; null when the stored amounts overflow a number */
                    actual: number | null;
                    allocated: number;
                    /** @enum {string} */
                    category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                    /** @description (actual − proRated) ÷ proRated; null when nothing is allocated */
                    deviation: number | null;
                    /** @description the deviation is beyond the tolerance */
                    offPlan: boolean;
                    /** @description the allocation times the share of the period elapsed */
                    proRated: number;
                }[];
                currency: string;
                name: string;
                period: {
                    /** Format: date */
                    from: string;
                    /** Format: date */
                    to: string;
                };
                stalledPilots: {
                    amount: number;
                    initiative: string;
                    since: string;
                }[];
                /** @description a budget in another currency than USD: the USD telemetry cost its actuals leave out */
                telemetryNotIncludedUsd?: number;
                total: {
                    /** @description null when the stored amounts overflow a number */
                    actual: number | null;
                    allocated: number;
                    proRated: number;
                };
                /** @description model calls in its period to date without a price: their cost is unknown and not in the actuals */
                unpricedModelCalls: number;
                withoutOutcomes: {
                    amount: number;
                    initiative: string;
                }[];
            }[];
            diagnostic: components["schemas"]["Diagnostic"];
            /** Format: date-time */
            generatedAt: string;
            /** @description counts, and the most pressing incidents first: serious with an overdue report, serious, by severity, unresolved, newest (GET /v1/incidents lists them all) */
            incidents: {
                /** @description how many incidents each list holds at most */
                listed: number;
                /** @description the most pressing open or mitigated incidents, at most `listed` */
                open: components["schemas"]["Incident"][];
                /** @description how many incidents are open or mitigated */
                openCount: number;
                /** @description serious incidents past their reporting deadline */
                overdue: number;
                /** @description what the report lists: the most pressing of the incidents open or mitigated (however old) and those opened in the last 90 days, at most `listed` */
                pressing: components["schemas"]["Incident"][];
                /** @description how many incidents `pressing` is drawn from */
                pressingCount: number;
                /** @description the most pressing incidents opened in the last 90 days, at most `listed` */
                recent: components["schemas"]["Incident"][];
                /** @description the last 90 days’ incidents by severity */
                recentBySeverity: {
                    sev1: number;
                    sev2: number;
                    sev3: number;
                    sev4: number;
                };
                /** @description the last 90 days’ incidents by status now */
                recentByStatus: {
                    closed: number;
                    mitigated: number;
                    open: number;
                    resolved: number;
                };
                /** @description how many incidents were opened in the last 90 days */
                recentCount: number;
            };
            /** @description active initiatives */
            initiatives: {
                businessUnit: string;
                metrics: {
                    baseline: number;
                    current: number | null;
                    /** @enum {string} */
                    direction: "increase" | "decrease";
                    name: string;
                    progress: number | null;
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "none";
                    target: number;
                    unit: string;
                }[];
                name: string;
                owner: string;
                /** @description the tier in force; null: not assessed */
                riskTier: string | null;
                roi: {
                    /** @description USD; a lower bound when `costIncomplete` is not empty */
                    cost: number;
                    /** @description what the cost leaves out (GET /v1/initiatives/{name}/roi) */
                    costIncomplete: string[];
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "assumed";
                    roi: number | null;
                    /** @description USD; null when no outcome could be valued */
                    value: number | null;
                    valueProvenance: string;
                };
                stage: string;
                title: string;
            }[];
            /** @description the plan's calls as lines */
            plan?: string[];
            /** @description initiatives not retired, highest tier first */
            risks: {
                incidentOwner: string | null;
                initiative: string;
                oversightOwner: string | null;
                stage: string;
                /** @description the tier in force, or "untiered" */
                tier: string;
            }[];
            /** @description unregistered agents seen in the window, e.g. telemetry:NAME */
            shadowAgents: string[];
            signals: components["schemas"]["Signals"];
            title: string;
            /** @description the last 30 days */
            window: {
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
        };
        /** @description retention periods per data type, in days */
        RetentionPolicy: {
            /** @description logs of high-risk (and prohibited) initiatives' agents are kept at least this long, whatever the period */
            highRiskFloorDays: number;
            /** @description days each data type is kept */
            periods: {
                /** @description days */
                arguments: number;
                /** @description days */
                auditEntries: number;
                /** @description days */
                decisions: number;
                /** @description days */
                events: number;
                /** @description days */
                shadowAgents: number;
                /** @description days */
                spans: number;
            };
        };
        /** @description what a purge deleted or redacted, per data type, and what it held */
        RetentionPurge: {
            /** @description rows deleted (arguments: redacted) */
            arguments: number;
            /** @description rows deleted (arguments: redacted) */
            auditEntries: number;
            /** @description why this node purged no audit entries: its signing key is not the one the database's checkpoints are signed with (docs/audit.md) */
            auditHeldBack?: string;
            /** @description rows deleted (arguments: redacted) */
            decisions: number;
            /**
             * @description a preview (dryRun): nothing was deleted or redacted; the counts are what a purge now would
             * @enum {boolean}
             */
            dryRun?: true;
            /** @description rows deleted (arguments: redacted) */
            events: number;
            /** @description agents whose data was held back */
            held: {
                /** @description agents of high-risk or prohibited initiatives (or that left one since the floor): kept at least highRiskFloorDays; the first 100 by name */
                highRisk: string[];
                /** @description how many agents the high-risk hold held, listed or not */
                highRiskCount: number;
                /** @description agents linked to an incident that is not closed: kept until it closes; the first 100 by name */
                incident: string[];
                /** @description how many agents the incident hold held, listed or not */
                incidentCount: number;
            };
            /** @description rows deleted (arguments: redacted) */
            shadowAgents: number;
            /** @description rows deleted (arguments: redacted) */
            spans: number;
        };
        /** @description a stage promotion and its sign-offs */
        Review: {
            closedAt: string | null;
            /** @enum {string} */
            from: "proposed" | "pilot" | "production" | "scaled" | "retired";
            id: string;
            initiative: string;
            /** Format: date-time */
            openedAt: string;
            openedBy: string;
            /** @description required roles without a sign-off yet */
            pending: string[];
            /** @description the roles that must sign off (owner: the initiative owner); a stricter tier assessed meanwhile adds its roles */
            required: string[];
            signOffs: {
                /** Format: date-time */
                at: string;
                comment: string | null;
                /** @enum {string} */
                decision: "approve" | "reject";
                /** @description person:NAME, or admin */
                person: string;
                role: string;
            }[];
            /** @enum {string} */
            status: "open" | "approved" | "rejected";
            /** @description the risk tier its sign-offs follow: in force when it opened, or a stricter one assessed while it was open (minimal when retiring an untiered one) */
            tier: string;
            /** @enum {string} */
            to: "proposed" | "pilot" | "production" | "scaled" | "retired";
        };
        /** @description one version of an initiative's risk tier */
        RiskAssessment: {
            /** @description the answers it was assessed on */
            answers: {
                actsAutonomouslyOnMoneyOrSystems: boolean;
                biometricIdentification: boolean;
                creditOrEssentialServices: boolean;
                criticalInfrastructure: boolean;
                education: boolean;
                employment: boolean;
                generatesContent: boolean;
                interactsWithPublic: boolean;
                justice: boolean;
                lawEnforcement: boolean;
                migration: boolean;
                prohibitedPractices: ("subliminal-manipulation" | "exploiting-vulnerabilities" | "social-scoring" | "predictive-policing" | "face-scraping" | "emotion-recognition-work-education" | "biometric-categorisation-sensitive" | "realtime-remote-biometric-id")[];
                usesPersonalOrRestrictedData: boolean;
            };
            /** Format: date-time */
            assessedAt: string;
            assessedBy: string;
            initiative: string;
            notes: string | null;
            /** @description why this tier: the practices, Annex III areas or obligations that apply */
            reasons: string[];
            /** @enum {string} */
            tier: "prohibited" | "high" | "medium" | "low" | "minimal";
            /** @description increments per assessment; the highest is the tier in force */
            version: number;
            /** @description prohibited while agents are active: the guard now denies their calls */
            warning?: string;
        };
        /** @description the risk questionnaire */
        RiskQuestionnaire: {
            /** @description EU AI Act Art. 5 practices by id, for `answers.prohibitedPractices` */
            prohibitedPractices: {
                "biometric-categorisation-sensitive": string;
                "emotion-recognition-work-education": string;
                "exploiting-vulnerabilities": string;
                "face-scraping": string;
                "predictive-policing": string;
                "realtime-remote-biometric-id": string;
                "social-scoring": string;
                "subliminal-manipulation": string;
            };
            /** @description each question id with its text; every one is answered true or false */
            questions: {
                actsAutonomouslyOnMoneyOrSystems: string;
                biometricIdentification: string;
                creditOrEssentialServices: string;
                criticalInfrastructure: string;
                education: string;
                employment: string;
                generatesContent: string;
                interactsWithPublic: string;
                justice: string;
                lawEnforcement: string;
                migration: string;
                usesPersonalOrRestrictedData: string;
            };
        };
        /** @description ROI of an initiative over the last 30 days, each number labelled with where it comes from */
        Roi: {
            cost: {
                /** @description what the total leaves out (model calls without a price, spend in another currency); empty when whole */
                incomplete: string[];
                items: {
                    amountUsd: number;
                    /** @enum {string} */
                    provenance: "measured" | "self-reported" | "assumed";
                    source: string;
                }[];
                /** @description USD; a lower bound when `incomplete` is not empty */
                total: number;
            };
            initiative: string;
            /** @enum {string} */
            provenance: "measured" | "self-reported" | "assumed";
            /** @description (value − cost) ÷ cost; null without cost, when the cost is incomplete (cost.incomplete), or when no outcome is valued */
            roi: number | null;
            value: {
                items: {
                    /** @description current against baseline, in the direction the metric should move */
                    improvement: number;
                    /** @description measured or self-reported */
                    improvementProvenance: string;
                    metric: string;
                    unit: string;
                    value: number;
                    /** @description assumed: stated on the initiative */
                    valuePerUnit: number;
                }[];
                /** @description metrics that give no value: no valuePerUnit, or no current value */
                notValued: {
                    metric: string;
                    why: string;
                }[];
                /** @enum {string} */
                provenance: "measured" | "self-reported" | "assumed";
                total: number;
            };
            /** @description the last 30 days */
            window: {
                /** Format: date */
                from: string;
                /** Format: date */
                to: string;
            };
        };
        /** @description a sign-in session as listed: never its secret */
        SessionInfo: {
            /** Format: date-time */
            createdAt: string;
            /** @description the session this request was made with */
            current: boolean;
            /**
             * Format: date-time
             * @description when it is over, by the session length in force
             */
            expiresAt: string;
            /** @description as its auth.signed-in entry (detail.session) and its auth.signed-out entry name it */
            id: string;
            /**
             * @description browser: the console, signed in at /auth/login; cli: `fulcrum login`
             * @enum {string}
             */
            kind: "browser" | "cli";
        };
        SessionList: {
            items: components["schemas"]["SessionInfo"][];
            /** @description more live sessions than the 1,000 listed (the oldest are) */
            more: boolean;
        };
        ShadowAgent: {
            count: number;
            detail: string;
            /** Format: date-time */
            firstSeen: string;
            identity: string;
            /** Format: date-time */
            lastSeen: string;
            /**
             * @description where it was seen
             * @enum {string}
             */
            source: "unknown-key" | "revoked-key" | "mcp" | "telemetry";
        };
        /** @description named lists to act on: pilot paralysis, agent sprawl, not ready, attribution, unpriced calls */
        Signals: {
            /** @description agents per archetype, ad hoc, near-duplicates */
            agentSprawl: {
                /** @description agents of no archetype */
                adHoc: string[];
                /** @description how many such pairs there are in all */
                nearDuplicatePairs: number;
                /** @description agents of different initiatives calling (nearly) the same tools: candidates to consolidate; the first 100 pairs, most alike first, then by name */
                nearDuplicates: {
                    agents: string[];
                    sharedTools: string[];
                    /** @description Jaccard similarity of their tools, 0–1 */
                    similarity: number;
                }[];
                perArchetype: {
                    agents: string[];
                    archetype: string;
                }[];
            };
            /** @description telemetry of the last 30 days naming an agent its sender may not speak for (docs/evidence.md) */
            attributionMismatches: {
                /** @description the sender's agent, or null: booked to no agent */
                bookedTo: string | null;
                /** @description the agent the telemetry named */
                claimedAgent: string;
                /** @description measured cost of those spans, booked to bookedTo */
                costUsd: number;
                events: number;
                /** Format: date */
                lastDay: string;
                /** @description the credential that sent it: agent:NAME or collector:NAME */
                sentBy: string;
                spans: number;
            }[];
            /** @description active initiatives on unready data or without a measured outcome */
            notReady: {
                onUnreadyData: {
                    dataDomains: string[];
                    initiative: string;
                }[];
                withoutMeasuredOutcomes: string[];
            };
            /** @description pilots past 180 days, longest first */
            stalledPilots: {
                days: number;
                initiative: string;
                /** @description the day it became a pilot */
                since: string;
            }[];
            /** @description model calls of the last 30 days Fulcrum could not price, per agent and model, most calls first: the first 100 (docs/evidence.md) */
            unpricedModelCalls: {
                agent: string;
                /** @description model calls without a cost, left out of every spend figure */
                calls: number;
                /** Format: date */
                lastDay: string;
                /** @description the registry Model, or the id the telemetry reported when it is none */
                model: string;
                reasons: {
                    /** @description the Model has no USD price on that day */
                    noPrice: number;
                    /** @description the span did not report both its input and output token counts (e.g. a stream without usage) */
                    noUsage: number;
                    /** @description the provider billed the call at a service tier above the Model's price (e.g. OpenAI's priority) */
                    serviceTier: number;
                    /** @description no registry Model has this name or alias */
                    unknownModel: number;
                };
            }[];
            /** @description how many (agent, model) pairs had unpriced calls (unpricedModelCalls holds the first 100) */
            unpricedModelCallsTotal: number;
        };
        SignedCheckpoint: {
            /** @description the signed JSON text (format fulcrum-audit-checkpoint/1), exactly as signed */
            payload: string;
            /** @description Ed25519 over the payload, base64 */
            signature: string;
        };
        Simulation: {
            /** @enum {string} */
            decision: "allow" | "deny" | "approval_required";
            /** @description monitor-mode policies that would have denied or required approval */
            monitor: components["schemas"]["Reason"][];
            /** @description the registry revision the decision was made with */
            policyVersion: number;
            reasons: components["schemas"]["Reason"][];
        };
        SpendImport: {
            /**
             * @description the same lines were imported before: this is that import, and nothing was booked again
             * @enum {boolean}
             */
            alreadyImported?: true;
            budget: string;
            /** @description lines imported */
            imported: number;
            /** @description the import, to list or withdraw it (spi_…) */
            importId: string;
            /** @description their sum, in the budget currency */
            total: number;
        };
        /** @description a budget's recorded spend imports, newest first */
        SpendImports: {
            items: {
                budget: string;
                imported: number;
                importedAt: string;
                importedBy: string;
                importId: string;
                total: number;
            }[];
        };
        SpendLimit: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "SpendLimit";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                amountUsd: number;
                description?: string;
                /**
                 * @default block
                 * @enum {string}
                 */
                enforce: "block" | "alert";
                /**
                 * @description UTC calendar day, ISO week (from Monday) or month
                 * @enum {string}
                 */
                period: "day" | "week" | "month";
                /** @description exactly one of agent, initiative, businessUnit */
                scope: {
                    /** @description name of a Agent */
                    agent?: string;
                    /** @description name of a BusinessUnit */
                    businessUnit?: string;
                    /** @description name of a Initiative */
                    initiative?: string;
                };
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        /** @description a SpendLimit in its current period */
        SpendLimitStatus: {
            /** @description enforce: alert — when the limit was first passed */
            alertedAt: string | null;
            /** @description settled spend, cumulative, at the end of each hour with spend */
            burnDown: {
                /** Format: date-time */
                hour: string;
                remainingUsd: number;
                spentUsd: number;
            }[];
            /** @description calls admitted in this period */
            calls: number;
            /** @enum {string} */
            enforce: "block" | "alert";
            limitUsd: number;
            name: string;
            /** @enum {string} */
            period: "day" | "week" | "month";
            /**
             * Format: date-time
             * @description exclusive
             */
            periodEnd: string;
            /** Format: date-time */
            periodStart: string;
            remainingUsd: number;
            /** @description the worst case of calls in flight */
            reservedUsd: number;
            scope: {
                [key: string]: string;
            };
            /** @description settled */
            spentUsd: number;
        };
        TelemetryCollector: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "TelemetryCollector";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /**
                 * @description the agents its keys may book telemetry to; a span naming any other agent is an attribution mismatch
                 * @default []
                 */
                agents: string[];
                description?: string;
                /** @description name of a Person */
                owner: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        Tool: {
            /** @enum {string} */
            apiVersion: "fulcrum/v1";
            /** @enum {string} */
            kind: "Tool";
            metadata: {
                /** Format: date-time */
                createdAt: string;
                /** @description increments on every change */
                generation: number;
                labels?: {
                    [key: string]: string;
                };
                name: string;
                /** Format: date-time */
                updatedAt: string;
            };
            spec: {
                /**
                 * @description a JSON Schema for the call arguments, as MCP tools declare their inputSchema
                 * @default {
                 *       "type": "object",
                 *       "properties": {}
                 *     }
                 */
                arguments: {
                    [key: string]: unknown;
                };
                /** @default [] */
                dataDomains: string[];
                description?: string;
                /** @enum {string} */
                effect: "read" | "write" | "financial" | "destructive";
                system: string;
            };
            /** @description observed state, e.g. an agent suspended by the kill switch */
            status?: {
                [key: string]: unknown;
            };
        };
        Whoami: {
            id: string;
            /** @description every permission the caller holds, as the server checks them (an admin role grants them all) */
            permissions: ("registry.read" | "registry.write" | "approvals.decide" | "incidents.write" | "incidents.close" | "risk.assess" | "sessions.manage")[];
            /** @description a person's roles, as granted */
            roles?: ("admin" | "platform" | "owner" | "reviewer:risk" | "reviewer:legal" | "reviewer:security" | "reviewer:data" | "approver" | "viewer")[];
            /** @enum {string} */
            type: "admin" | "person" | "agent" | "collector" | "system";
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getProtectedResourceMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9728 protected-resource metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtectedResourceMetadata"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMcpProtectedResourceMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description RFC 9728 protected-resource metadata */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProtectedResourceMetadata"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    finishLogin: {
        parameters: {
            query?: {
                code?: string;
                error?: string;
                error_description?: string;
                iss?: string;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed in: to the console, with the session cookie */
            302: {
                headers: {
                    /** @description the console page the sign-in started from */
                    location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description the sign-in answer does not fit this sign-in (state, issuer, code): a page; or a malformed query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                    "text/html": string;
                };
            };
            /** @description the IdP refused the person (access_denied), or signed them in but Fulcrum refuses them (no Person, no verified email): a page */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description the IdP answered wrongly (no ID token, a refused code) or says it is failing (server_error): a page */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startDeviceLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceAuthorization"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    pollDeviceLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    deviceCode: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeviceSession"];
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description not yet: poll again later (slow_down: less often)
                         * @enum {string}
                         */
                        pending: "authorization_pending" | "slow_down";
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    startLogin: {
        parameters: {
            query?: {
                /** @description a console path */
                returnTo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description to the IdP's authorization endpoint, with the single-use login cookie */
            302: {
                headers: {
                    /** @description the IdP's authorization URL */
                    location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description signed out (also when there was no session) */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuthSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuthSession"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Default Response */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    anthropicMessages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the API's own request body; passed on with the provider's model id */
        requestBody: {
            content: {
                "application/json": {
                    /** @description a registry Model name or alias */
                    model: string;
                    stream?: boolean;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description the provider's answer; with `stream: true`, its server-sent events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                    "text/event-stream": string;
                };
            };
            /** @description a malformed body, a model served by the other API, no bounded cost (max_tokens) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description no agent key, or one Fulcrum does not know */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description model_not_found, model_not_served */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description registry_changed: the registry changed while the call was admitted (its model name names another Model now, or changes kept coming); send it again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description a Fulcrum-Data-Domains header naming unknown data domains */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description an internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description upstream_unavailable, upstream_invalid, upstream_auth_failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description Fulcrum's database is not reachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
            /** @description upstream_timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AnthropicError"];
                };
            };
        };
    };
    openaiChatCompletions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the API's own request body; passed on with the provider's model id */
        requestBody: {
            content: {
                "application/json": {
                    /** @description a registry Model name or alias */
                    model: string;
                    stream?: boolean;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description the provider's answer; with `stream: true`, its server-sent events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                    "text/event-stream": string;
                };
            };
            /** @description a malformed body, a model served by the other API, no bounded cost (max_tokens) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description no agent key, or one Fulcrum does not know */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description model_not_found, model_not_served */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description registry_changed: the registry changed while the call was admitted (its model name names another Model now, or changes kept coming); send it again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description a Fulcrum-Data-Domains header naming unknown data domains */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description an internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_unavailable, upstream_invalid, upstream_auth_failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description Fulcrum's database is not reachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    openaiEmbeddings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the API's own request body; passed on with the provider's model id */
        requestBody: {
            content: {
                "application/json": {
                    /** @description a registry Model name or alias */
                    model: string;
                    stream?: boolean;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description the provider's answer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description a malformed body, a model served by the other API, no bounded cost (max_tokens) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description no agent key, or one Fulcrum does not know */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description model_not_found, model_not_served */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description registry_changed: the registry changed while the call was admitted (its model name names another Model now, or changes kept coming); send it again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description a Fulcrum-Data-Domains header naming unknown data domains */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description an internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_unavailable, upstream_invalid, upstream_auth_failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description Fulcrum's database is not reachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    openaiListModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            created: number;
                            id: string;
                            /** @enum {string} */
                            object: "model";
                            owned_by: string;
                        }[];
                        /** @enum {string} */
                        object: "list";
                    };
                };
            };
            /** @description no agent key, or one Fulcrum does not know */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description an internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description Fulcrum's database is not reachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    openaiResponses: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description the API's own request body; passed on with the provider's model id */
        requestBody: {
            content: {
                "application/json": {
                    /** @description a registry Model name or alias */
                    model: string;
                    stream?: boolean;
                } & {
                    [key: string]: unknown;
                };
            };
        };
        responses: {
            /** @description the provider's answer; with `stream: true`, its server-sent events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                    "text/event-stream": string;
                };
            };
            /** @description a malformed body, a model served by the other API, no bounded cost (max_tokens) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description no agent key, or one Fulcrum does not know */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not an agent key; model_not_allowed (naming the policies), approval_required, model_unpriced */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description model_not_found, model_not_served */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description registry_changed: the registry changed while the call was admitted (its model name names another Model now, or changes kept coming); send it again */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description the body is over the limit */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description not application/json */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description a Fulcrum-Data-Domains header naming unknown data domains */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description spend_limit_exceeded (naming the limit), rate_limit_exceeded (Retry-After) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description an internal error */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_unavailable, upstream_invalid, upstream_auth_failed */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description Fulcrum's database is not reachable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
            /** @description upstream_timeout */
            504: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OpenAiError"];
                };
            };
        };
    };
    mcp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description a JSON-RPC 2.0 request, notification or response (MCP); an array for a batch */
        requestBody: {
            content: {
                "application/json": Record<string, never> | unknown[];
            };
        };
        responses: {
            /** @description the JSON-RPC response (an array for a batch of several requests); a text/event-stream instead when a request asks for progress (`params._meta.progressToken`): its notifications/progress, then the response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    } | {
                        [key: string]: unknown;
                    }[];
                    "text/event-stream": string;
                };
            };
            /** @description notifications or responses only: accepted, no body */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not JSON-RPC, an id JSON cannot hold exactly (an integer past ±(2^53 − 1)), an unsupported MCP-Protocol-Version, a header that disagrees with the body, or a bad batch (a JSON-RPC error, or Fulcrum's Error) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"] | components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description a Host or Origin refused as DNS rebinding (see FULCRUM_MCP_ALLOWED_HOSTS in docs/mcp.md), or not an agent key (a JSON-RPC error, or Fulcrum's Error) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"] | components["schemas"]["Error"];
                };
            };
            /** @description MCP 2026-07-28: a method the protocol version does not have */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description the Accept header does not list application/json and text/event-stream */
            406: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["JsonRpcError"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportTraces: {
        parameters: {
            query?: {
                /** @description decode and check the spans, store nothing (to test instrumentation) */
                dryRun?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ExportTraceServiceResponse, in the encoding of the request (protobuf or JSON) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExportTraceServiceResponse"];
                    "application/x-protobuf": string;
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Agent"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Agent descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Agent";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description name of a Archetype */
                        archetype?: string;
                        description?: string;
                        /** @default [] */
                        extraTools: string[];
                        framework?: string;
                        /** @description name of a Initiative */
                        initiative: string;
                        /** @description the OAuth client (an access token's client_id) this agent authenticates as with FULCRUM_AGENT_TOKEN_ISSUER; unique across agents */
                        oauthClientId?: string;
                        /** @description name of a Person */
                        owner: string;
                        /** @description LLM gateway calls of this agent per minute, across all nodes (docs/llm-gateway.md) */
                        rateLimits?: {
                            requestsPerMinute?: number;
                            tokensPerMinute?: number;
                        };
                        /**
                         * @default active
                         * @enum {string}
                         */
                        status: "active" | "suspended" | "retired";
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAgentKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Credential"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createAgentKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedKey"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeAgentKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    resumeAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentControl"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    suspendAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentControl"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    applyDescriptors: {
        parameters: {
            query?: {
                /** @description validate and report, write nothing */
                dryRun?: boolean;
                /** @description name used for a YAML body in problem positions */
                file?: string;
                /** @description delete registry objects the set does not contain */
                prune?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    files: {
                        content: string;
                        path: string;
                    }[];
                } | string;
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApplyResult"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                limit?: number;
                status?: "pending" | "approved" | "denied" | "expired" | "used" | "revoked";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Approval"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getApproval: {
        parameters: {
            query?: {
                wait?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    approveApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    denyApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Approval"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listArchetypes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Archetype"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getArchetype: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Archetype"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putArchetype: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Archetype descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Archetype";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @enum {string} */
                        autonomy: "suggest" | "supervised" | "autonomous";
                        /** @default [] */
                        dataDomains: string[];
                        description?: string;
                        /** @default [] */
                        frameworks: string[];
                        /**
                         * @description when the agent must hand the task to a human, and to whom
                         * @default []
                         */
                        handoffRules: {
                            to: string;
                            when: string;
                        }[];
                        /** @default [] */
                        models: string[];
                        /** @default [] */
                        tools: string[];
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Archetype"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Archetype"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteArchetype: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                agent?: string;
                decision?: "allow" | "deny" | "approval_required";
                kind?: string;
                limit?: number;
                since?: string;
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["AuditEntry"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditCheckpoint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignedCheckpoint"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAuditPublicKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        algorithm: "Ed25519";
                        /** @description first 16 hex digits of SHA-256 over the key (SPKI, DER) */
                        keyId: string;
                        /** @description PEM (SPKI): save it to a file for `fulcrum audit verify --public-key` */
                        publicKey: string;
                    };
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    verifyAudit: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBackupStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BackupStatus"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBudgets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Budget"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Budget descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Budget";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /**
                         * @description spend booked outside telemetry (invoices, contracts)
                         * @default []
                         */
                        actuals: {
                            amount: number;
                            /** @enum {string} */
                            category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                            /**
                             * Format: date
                             * @description YYYY-MM-DD
                             */
                            date: string;
                            description?: string;
                            /** @description name of a Initiative */
                            initiative?: string;
                        }[];
                        /** @default [] */
                        allocations: {
                            amount: number;
                            /** @enum {string} */
                            category: "model-licences" | "infrastructure-compute" | "data-integration" | "security-governance" | "agents-platforms" | "change-training";
                            /** @description name of a Initiative */
                            initiative?: string;
                        }[];
                        /**
                         * @description ISO 4217 code
                         * @default USD
                         */
                        currency: string;
                        period: {
                            /**
                             * Format: date
                             * @description YYYY-MM-DD
                             */
                            from: string;
                            /**
                             * Format: date
                             * @description YYYY-MM-DD
                             */
                            to: string;
                        };
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Budget"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteBudget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getAlignment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a budget's allocation against actual spend per category, and the signals on it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Alignment"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSpendImports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a budget's recorded spend imports, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendImports"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    importSpend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
                "text/csv": string;
            };
        };
        responses: {
            /** @description the same lines were imported before: that import, nothing booked again */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendImport"];
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendImport"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    withdrawSpendImport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                importId: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description withdrawn */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listBusinessUnits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["BusinessUnit"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getBusinessUnit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BusinessUnit"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putBusinessUnit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a BusinessUnit descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "BusinessUnit";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description name of a Person */
                        owner?: string;
                        title: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BusinessUnit"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BusinessUnit"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteBusinessUnit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listComputePools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ComputePool"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getComputePool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComputePool"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putComputePool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a ComputePool descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "ComputePool";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        capacity: number;
                        forecastDemand?: number;
                        /** @default false */
                        powerConstrained: boolean;
                        region: string;
                        /** @description e.g. gpu-hours/month */
                        unit: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComputePool"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ComputePool"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteComputePool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getCosts: {
        parameters: {
            query?: {
                /** @description first day (default: 29 days before `to`) */
                from?: string;
                groupBy?: "agent" | "initiative" | "model" | "business-unit";
                /** @description most groups answered (totalRows says how many there are) */
                limit?: number;
                /** @description last day, included (default: today, UTC) */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description spend grouped by agent, initiative, model or business unit, from the daily rollups */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Costs"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listDataDomains: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["DataDomain"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDataDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataDomain"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putDataDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a DataDomain descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "DataDomain";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @enum {string} */
                        classification: "public" | "internal" | "confidential" | "restricted";
                        description?: string;
                        maturity?: {
                            /** @enum {string} */
                            accessPolicy: "none" | "draft" | "enforced";
                            /**
                             * Format: date
                             * @description YYYY-MM-DD
                             */
                            assessedAt?: string;
                            /** @enum {string} */
                            lineage: "none" | "partial" | "complete";
                            productionReady: boolean;
                            /** @enum {string} */
                            quality: "low" | "medium" | "high";
                        };
                        /** @description name of a Person */
                        owner: string;
                        /** @default [] */
                        regions: string[];
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataDomain"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataDomain"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteDataDomain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    decide: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DecisionRequest"];
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Decision"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportDecisionOutcome: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description at most a year */
                    durationMs: number;
                    error?: string;
                    /** @enum {string} */
                    outcome: "succeeded" | "failed";
                };
            };
        };
        responses: {
            /** @description recorded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    simulateDecision: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agent: string;
                    request: components["schemas"]["DecisionRequest"];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Simulation"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getDiagnostic: {
        parameters: {
            query?: {
                /** @description default 0.25 */
                budgetTolerance?: number;
                /** @description default 0.2 */
                maxUnmeasuredSpendShare?: number;
                /** @description default 0.8 */
                minAssessedDomainShare?: number;
                /** @description default 5 */
                minMeasuredInitiatives?: number;
                /** @description default 0.5 */
                minStandardisedShare?: number;
                /** @description default 0.8 */
                minTieredShare?: number;
                /** @description default 180 */
                stalledPilotDays?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description scale or fail: the six checklist areas answered from live evidence, with a verdict */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Diagnostic"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events: unknown[];
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description events kept (duplicates included) */
                        accepted: number;
                        /** @description accepted events already received: counted once */
                        duplicates: number;
                        rejected: {
                            index: number;
                            reason: string;
                        }[];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportRegistry: {
        parameters: {
            query?: {
                format?: "json" | "yaml";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the descriptor files: JSON `{"files"}`, or with `format=yaml` one YAML stream */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: {
                            content: string;
                            path: string;
                        }[];
                    };
                    "application/yaml": string;
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listIncidents: {
        parameters: {
            query?: {
                limit?: number;
                overdue?: boolean;
                status?: "open" | "mitigated" | "resolved" | "closed";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Incident"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    openIncident: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    agents?: string[];
                    /**
                     * Format: date-time
                     * @description when it became known; the clock starts then (default now; not in the future beyond 5 minutes of clock skew, nor before 2000)
                     */
                    awareAt?: string;
                    description?: string;
                    initiatives?: string[];
                    owner?: string;
                    /** @description an EU AI Act Art. 3(49) serious incident: starts the Art. 73 reporting clock */
                    seriousIncident?: boolean;
                    /** @enum {string} */
                    seriousKind?: "death" | "widespread-infringement" | "critical-infrastructure" | "other";
                    /** @enum {string} */
                    severity: "sev1" | "sev2" | "sev3" | "sev4";
                    title: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentWithTimeline"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    addIncidentNote: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note: string;
                };
            };
        };
        responses: {
            /** @description noted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    reportIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reference: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    transitionIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    note?: string;
                    /** @enum {string} */
                    to: "open" | "mitigated" | "resolved" | "closed";
                };
            };
        };
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Incident"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listInitiatives: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Initiative"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getInitiative: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Initiative"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putInitiative: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Initiative descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Initiative";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description name of a BusinessUnit */
                        businessUnit: string;
                        description?: string;
                        forecast?: {
                            /** @description compute one task uses on a ComputePool, in the pool's unit (e.g. gpu-hours), for self-hosted models */
                            computePerTask?: number;
                            /** @description tasks a month at scale: the owner's forecast, labelled self-reported */
                            tasksPerMonth?: number;
                        };
                        /** @description name of a Person */
                        incidentOwner?: string;
                        /** @default [] */
                        outcomes: {
                            baseline: {
                                period: string;
                                value: number;
                            };
                            /** @enum {string} */
                            direction: "increase" | "decrease";
                            name: string;
                            /** @enum {string} */
                            source: "resolution_rate" | "escalation_rate" | "error_rate" | "cost_per_resolved_task" | "avg_handle_time" | "time_saved_hours" | "manual";
                            target: number;
                            unit: string;
                            /** @description an assumption, always labelled as such: USD per unit of improvement, as costs are (Fulcrum converts no currency) */
                            valuePerUnit?: number;
                        }[];
                        /** @description name of a Person */
                        oversightOwner?: string;
                        /** @description name of a Person */
                        owner: string;
                        /** @enum {string} */
                        riskTier?: "minimal" | "low" | "medium" | "high" | "prohibited";
                        /** @enum {string} */
                        stage: "proposed" | "pilot" | "production" | "scaled" | "retired";
                        /**
                         * Format: date
                         * @description YYYY-MM-DD
                         */
                        stageSince?: string;
                        title: string;
                        /** @enum {string} */
                        type: "chatbot" | "copilot" | "agent";
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Initiative"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Initiative"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteInitiative: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    exportEvidence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the archive, as an attachment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/gzip": string;
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMeasurements: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Measurement"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    recordMeasurement: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metric: string;
                    period: string;
                    value: number;
                };
            };
        };
        responses: {
            /** @description a self-reported value of a manual outcome metric */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Measurement"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getOutcomes: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description an initiative's outcome metrics against their baselines and targets */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Outcomes"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    promoteInitiative: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    to: "pilot" | "production" | "scaled" | "retired";
                };
            };
        };
        responses: {
            /** @description a stage promotion and its sign-offs */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    assessRisk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description question id → true or false, and prohibitedPractices: [practice id…] */
                    answers: {
                        [key: string]: unknown;
                    };
                    notes?: string;
                };
            };
        };
        responses: {
            /** @description one version of an initiative's risk tier */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskAssessment"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRiskAssessments: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RiskAssessment"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRoi: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ROI of an initiative over the last 30 days, each number labelled with where it comes from */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Roi"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMcpServers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["McpServer"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMcpServer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["McpServer"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMcpServer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a McpServer descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "McpServer";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description how long an MCP call waits for a human approval */
                        approvalWaitSeconds?: number;
                        args?: string[];
                        command?: string;
                        description?: string;
                        /** @description http only: request headers sent to the upstream, each value a secret the operator provides ({env: FULCRUM_SECRET_…}) */
                        headers?: {
                            [key: string]: {
                                /** @description an environment variable named FULCRUM_SECRET_… */
                                env: string;
                            };
                        };
                        timeoutMs?: number;
                        /** @description Tools are named <toolPrefix>.<tool> (default: the server name); "" keeps upstream names */
                        toolPrefix?: string;
                        /** @enum {string} */
                        transport: "stdio" | "http";
                        /** Format: uri */
                        url?: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["McpServer"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["McpServer"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMcpServer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    discoverMcpTools: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description an MCP server's tools as the upstream lists them, as Tool descriptors */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["McpToolDiscovery"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModelEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ModelEndpoint"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getModelEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelEndpoint"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putModelEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a ModelEndpoint descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "ModelEndpoint";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @enum {string} */
                        api: "openai" | "anthropic";
                        /**
                         * Format: uri
                         * @description the API up to its version, e.g. https://api.openai.com/v1
                         */
                        baseUrl: string;
                        credential?: {
                            /** @description an environment variable named FULCRUM_SECRET_… */
                            env: string;
                        };
                        description?: string;
                        /**
                         * @description openai only: the member the gateway sets when a chat call names no output limit (the Model's maxOutputTokens); default max_completion_tokens (OpenAI's own, which its reasoning models require); max_tokens or both for an OpenAI-compatible server that reads only max_tokens
                         * @enum {string}
                         */
                        outputLimit?: "max_completion_tokens" | "max_tokens" | "both";
                        /**
                         * @description the service tier the gateway asks for when a call names none or auto, so the provider never picks one billed above the Model's price: default or flex (openai), standard_only (anthropic)
                         * @enum {string}
                         */
                        serviceTier?: "default" | "flex" | "standard_only";
                        /**
                         * @description bound on one whole call
                         * @default 600000
                         */
                        timeoutMs: number;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelEndpoint"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ModelEndpoint"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteModelEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listModels: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Model"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Model descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Model";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description model ids that mean this Model */
                        aliases?: string[];
                        /**
                         * @description how the model mix reads at a glance (docs/insight.md "Model mix")
                         * @enum {string}
                         */
                        capabilityClass?: "frontier" | "mid-tier" | "small" | "open-weight";
                        /** @description the most input tokens one call can read: the gateway's bound when a request's input cannot be measured */
                        contextWindow?: number;
                        /** @description name of a ModelEndpoint */
                        endpoint?: string;
                        /** @enum {string} */
                        hosting: "vendor" | "self-hosted";
                        /** @enum {string} */
                        maxClassification: "public" | "internal" | "confidential" | "restricted";
                        /** @description output tokens reserved for a gateway call that sets no max_tokens */
                        maxOutputTokens?: number;
                        /** @default [] */
                        pricing: {
                            cachedInputPerMillion?: number;
                            cacheWriteInputPerMillion?: number;
                            /**
                             * @description ISO 4217 code
                             * @default USD
                             */
                            currency: string;
                            /**
                             * Format: date
                             * @description YYYY-MM-DD
                             */
                            from: string;
                            inputPerMillion: number;
                            /** @description rates for a whole call whose input is over aboveInputTokens (docs/governance-as-code.md) */
                            longContext?: {
                                aboveInputTokens: number;
                                cachedInputPerMillion?: number;
                                cacheWriteInputPerMillion?: number;
                                inputPerMillion: number;
                                outputPerMillion: number;
                            };
                            outputPerMillion: number;
                        }[];
                        provider: string;
                        /** @default [] */
                        regions: string[];
                        /** @enum {string} */
                        status: "approved" | "restricted" | "banned";
                        /** @description the provider's model id (default: the Model's name) */
                        upstreamName?: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Model"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listMonitors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Monitor"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Monitor descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Monitor";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description name of a Agent */
                        agent?: string;
                        /** @description cost_per_day only: measure against this Budget — the value is the share of its daily allocation (1 = on plan) */
                        budget?: string;
                        description?: string;
                        /** @description name of a Initiative */
                        initiative?: string;
                        /**
                         * @description deny_rate and approval_rate over decisions; error_rate and escalation_rate over completed tasks (fractions 0–1); cost_per_day in USD; shadow_agents and monitor_policy_hits as counts
                         * @enum {string}
                         */
                        metric: "deny_rate" | "approval_rate" | "error_rate" | "escalation_rate" | "cost_per_day" | "shadow_agents" | "monitor_policy_hits";
                        /**
                         * @description rates need at least this many decisions or tasks
                         * @default 20
                         */
                        minSamples: number;
                        /** @enum {string} */
                        severity: "sev1" | "sev2" | "sev3" | "sev4";
                        /**
                         * @description sev1 only: suspend the agents in scope (the kill switch)
                         * @default false
                         */
                        suspendOnBreach: boolean;
                        /** @description a breach is a value above this */
                        threshold: number;
                        /**
                         * @description e.g. 15m, 1h, 1d
                         * @default 1h
                         */
                        window: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Monitor"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteMonitor: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    evaluateMonitors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["MonitorStatus"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getMonitorStatus: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["MonitorStatus"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPeople: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Person"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPerson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putPerson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Person descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Person";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description name of a BusinessUnit */
                        businessUnit?: string;
                        displayName: string;
                        /** Format: email */
                        email?: string;
                        /** @default [] */
                        roles: ("admin" | "platform" | "owner" | "reviewer:risk" | "reviewer:legal" | "reviewer:security" | "reviewer:data" | "approver" | "viewer")[];
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Person"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePerson: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPersonSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endPersonSessions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EndedSessions"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    endPersonSession: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description ended */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPersonTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Credential"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createPersonToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedToken"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokePersonToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPlan: {
        parameters: {
            query?: {
                /** @description default 0.25 */
                budgetTolerance?: number;
                /** @description default 0.95 */
                confidence?: number;
                /** @description default 0.8 */
                minAttainmentToScale?: number;
                /** @description default 0 */
                minRoiToScale?: number;
                /** @description default 100 */
                minTasksPerModel?: number;
                /** @description default 30 */
                minTasksToScale?: number;
                /** @description default 28; at most trendDays (given or default), else 400 naming the one given */
                minTrendDays?: number;
                /** @description default 0.02 */
                nonInferiorityMargin?: number;
                /** @description default 180 */
                stalledPilotDays?: number;
                /** @description default 90 */
                trendDays?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a recommendation per active initiative, a four-quarter roadmap within budget and compute, the model mix */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Plan"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listPolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Policy"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putPolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Policy descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Policy";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /** @description one or more Cedar policies */
                        cedar: string;
                        /** @description the message of this policy's reasons (with no @approval) */
                        description?: string;
                        /**
                         * @default enforce
                         * @enum {string}
                         */
                        mode: "enforce" | "monitor";
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Policy"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deletePolicy: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listEffectivePolicies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        policies: components["schemas"]["EffectivePolicy"][];
                        /** @description the registry revision the set was generated from */
                        revision: number;
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getPortfolio: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Portfolio"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listRegistryChanges: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["RegistryChange"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReport: {
        parameters: {
            query?: {
                format?: "md" | "html" | "pdf" | "json";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the report in the format asked for */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report"];
                    "application/pdf": string;
                    "text/html": string;
                    "text/markdown": string;
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description retention periods per data type, in days */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionPolicy"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putRetention: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description days */
                    arguments?: number;
                    /** @description days */
                    auditEntries?: number;
                    /** @description days */
                    decisions?: number;
                    /** @description days */
                    events?: number;
                    /** @description days */
                    shadowAgents?: number;
                    /** @description days */
                    spans?: number;
                };
            };
        };
        responses: {
            /** @description retention periods per data type, in days */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionPolicy"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    purgeRetention: {
        parameters: {
            query?: {
                /** @description count what would go, change nothing */
                dryRun?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description what a purge deleted or redacted, per data type, and what it held */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RetentionPurge"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listReviews: {
        parameters: {
            query?: {
                initiative?: string;
                limit?: number;
                status?: "open" | "approved" | "rejected";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Review"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a stage promotion and its sign-offs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    signOffReview: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    comment?: string;
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    role: string;
                };
            };
        };
        responses: {
            /** @description a stage promotion and its sign-offs */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Review"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getRiskQuestionnaire: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the risk questionnaire */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskQuestionnaire"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listShadowAgents: {
        parameters: {
            query?: {
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ShadowAgent"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSignals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description named lists to act on: pilot paralysis, agent sprawl, not ready, attribution, unpriced calls */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signals"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSpendLimitStatus: {
        parameters: {
            query?: {
                /** @description a SpendLimit name: the page starts after it */
                after?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SpendLimitStatus"][];
                        nextCursor?: string;
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listSpendLimits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["SpendLimit"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSpendLimit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendLimit"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putSpendLimit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a SpendLimit descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "SpendLimit";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        amountUsd: number;
                        description?: string;
                        /**
                         * @default block
                         * @enum {string}
                         */
                        enforce: "block" | "alert";
                        /**
                         * @description UTC calendar day, ISO week (from Monday) or month
                         * @enum {string}
                         */
                        period: "day" | "week" | "month";
                        /** @description exactly one of agent, initiative, businessUnit */
                        scope: {
                            /** @description name of a Agent */
                            agent?: string;
                            /** @description name of a BusinessUnit */
                            businessUnit?: string;
                            /** @description name of a Initiative */
                            initiative?: string;
                        };
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendLimit"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendLimit"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteSpendLimit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getSpendLimitStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description a SpendLimit in its current period */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SpendLimitStatus"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTelemetryCollectors: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["TelemetryCollector"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTelemetryCollector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryCollector"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTelemetryCollector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a TelemetryCollector descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "TelemetryCollector";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /**
                         * @description the agents its keys may book telemetry to; a span naming any other agent is an attribution mismatch
                         * @default []
                         */
                        agents: string[];
                        description?: string;
                        /** @description name of a Person */
                        owner: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryCollector"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TelemetryCollector"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTelemetryCollector: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTelemetryCollectorKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Credential"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    createTelemetryCollectorKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedKey"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    revokeTelemetryCollectorKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    listTools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Tool"][];
                    };
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getTool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tool"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    putTool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        /** @description a Tool descriptor; kind and metadata.name default to the URL's */
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    apiVersion?: "fulcrum/v1";
                    /** @enum {string} */
                    kind?: "Tool";
                    metadata?: {
                        labels?: {
                            [key: string]: string;
                        };
                        name?: string;
                    };
                    spec: {
                        /**
                         * @description a JSON Schema for the call arguments, as MCP tools declare their inputSchema
                         * @default {
                         *       "type": "object",
                         *       "properties": {}
                         *     }
                         */
                        arguments: {
                            [key: string]: unknown;
                        };
                        /** @default [] */
                        dataDomains: string[];
                        description?: string;
                        /** @enum {string} */
                        effect: "read" | "write" | "financial" | "destructive";
                        system: string;
                    };
                    /** @description ignored: observed state is not written */
                    status?: unknown;
                };
            };
        };
        responses: {
            /** @description the descriptor as stored: replaced, or unchanged */
            200: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tool"];
                };
            };
            /** @description the descriptor as stored: created */
            201: {
                headers: {
                    /** @description one per thing the write did that it was not refused for but should not do unsaid, as apply's `warnings` (a Tool no longer served by an McpServer, a Tool labelled for a server that does not serve it): `299 - "<message>"`, at most 20 and 4096 bytes together (messages cut to 256 characters when they would not all fit), then one saying how many more (as Kubernetes' API warns) */
                    warning?: string;
                    /** @description `created`, `updated` or `unchanged` */
                    "x-fulcrum-result"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Tool"];
                };
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    deleteTool: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Every error answer has this shape. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    getWhoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Whoami"];
                };
            };
            /** @description Every error answer has this shape. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description Every error answer has this shape. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
