// Generated from Fulcrum's OpenAPI document by `npm run generate:client` (scripts/client-codegen.mjs).
// Do not edit: change the route schemas in src/http and regenerate; test/http/contract.test.ts fails
// when this file and the server's document disagree. What each success answer of the API looks like:
// the CLI checks every JSON answer against it (src/cli/answers.ts).

/** Per path, method and 2xx status: the JSON Schema of the answer's body, or null when it has no JSON body. */
export type AnswerPaths = Record<string, Record<string, Record<string, object | null>>>;

export const answerDocument: { $id: string; paths: AnswerPaths; components: { schemas: Record<string, object> } } = {
 "$id": "fulcrum-answers",
 "paths": {
  "/.well-known/oauth-protected-resource": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/ProtectedResourceMetadata"
    }
   }
  },
  "/.well-known/oauth-protected-resource/mcp": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/ProtectedResourceMetadata"
    }
   }
  },
  "/auth/device": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/DeviceAuthorization"
    }
   }
  },
  "/auth/device/token": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/DeviceSession"
    },
    "202": {
     "type": "object",
     "required": [
      "pending"
     ],
     "properties": {
      "pending": {
       "type": "string",
       "enum": [
        "authorization_pending",
        "slow_down"
       ]
      }
     }
    }
   }
  },
  "/auth/logout": {
   "post": {
    "204": null
   }
  },
  "/auth/session": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/AuthSession"
    }
   }
  },
  "/healthz": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Health"
    }
   }
  },
  "/llm/anthropic/v1/messages": {
   "post": {
    "200": {
     "type": "object",
     "properties": {}
    }
   }
  },
  "/llm/openai/v1/chat/completions": {
   "post": {
    "200": {
     "type": "object",
     "properties": {}
    }
   }
  },
  "/llm/openai/v1/embeddings": {
   "post": {
    "200": {
     "type": "object",
     "properties": {}
    }
   }
  },
  "/llm/openai/v1/models": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "object",
      "data"
     ],
     "properties": {
      "object": {
       "type": "string",
       "enum": [
        "list"
       ]
      },
      "data": {
       "type": "array",
       "items": {
        "type": "object",
        "required": [
         "id",
         "object",
         "created",
         "owned_by"
        ],
        "properties": {
         "id": {
          "type": "string"
         },
         "object": {
          "type": "string",
          "enum": [
           "model"
          ]
         },
         "created": {
          "type": "integer"
         },
         "owned_by": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/llm/openai/v1/responses": {
   "post": {
    "200": {
     "type": "object",
     "properties": {}
    }
   }
  },
  "/mcp": {
   "post": {
    "200": {
     "anyOf": [
      {
       "type": "object",
       "properties": {}
      },
      {
       "type": "array",
       "items": {
        "type": "object",
        "properties": {}
       }
      }
     ]
    },
    "202": null
   }
  },
  "/otlp/v1/traces": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/ExportTraceServiceResponse"
    }
   }
  },
  "/v1/agents": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Agent"
       }
      }
     }
    }
   }
  },
  "/v1/agents/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Agent"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Agent"
    },
    "201": {
     "$ref": "#/components/schemas/Agent"
    }
   }
  },
  "/v1/agents/{name}/keys": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Credential"
       }
      }
     }
    }
   },
   "post": {
    "201": {
     "$ref": "#/components/schemas/IssuedKey"
    }
   }
  },
  "/v1/agents/{name}/keys/{id}": {
   "delete": {
    "204": null
   }
  },
  "/v1/agents/{name}/resume": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/AgentControl"
    }
   }
  },
  "/v1/agents/{name}/suspend": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/AgentControl"
    }
   }
  },
  "/v1/apply": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/ApplyResult"
    }
   }
  },
  "/v1/approvals": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Approval"
       }
      }
     }
    }
   }
  },
  "/v1/approvals/{id}": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Approval"
    }
   }
  },
  "/v1/approvals/{id}/approve": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Approval"
    }
   }
  },
  "/v1/approvals/{id}/deny": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Approval"
    }
   }
  },
  "/v1/archetypes": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Archetype"
       }
      }
     }
    }
   }
  },
  "/v1/archetypes/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Archetype"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Archetype"
    },
    "201": {
     "$ref": "#/components/schemas/Archetype"
    }
   }
  },
  "/v1/audit": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/AuditEntry"
       }
      }
     }
    }
   }
  },
  "/v1/audit/checkpoint": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/SignedCheckpoint"
    }
   }
  },
  "/v1/audit/public-key": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "algorithm",
      "keyId",
      "publicKey"
     ],
     "properties": {
      "algorithm": {
       "type": "string",
       "enum": [
        "Ed25519"
       ]
      },
      "keyId": {
       "type": "string"
      },
      "publicKey": {
       "type": "string"
      }
     }
    }
   }
  },
  "/v1/audit/verify": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/AuditVerification"
    }
   }
  },
  "/v1/backup": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/BackupStatus"
    }
   }
  },
  "/v1/budgets": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Budget"
       }
      }
     }
    }
   }
  },
  "/v1/budgets/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Budget"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Budget"
    },
    "201": {
     "$ref": "#/components/schemas/Budget"
    }
   }
  },
  "/v1/budgets/{name}/alignment": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Alignment"
    }
   }
  },
  "/v1/budgets/{name}/spend": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/SpendImports"
    }
   },
   "post": {
    "200": {
     "$ref": "#/components/schemas/SpendImport"
    },
    "201": {
     "$ref": "#/components/schemas/SpendImport"
    }
   }
  },
  "/v1/budgets/{name}/spend/{importId}": {
   "delete": {
    "204": null
   }
  },
  "/v1/business-units": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/BusinessUnit"
       }
      }
     }
    }
   }
  },
  "/v1/business-units/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/BusinessUnit"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/BusinessUnit"
    },
    "201": {
     "$ref": "#/components/schemas/BusinessUnit"
    }
   }
  },
  "/v1/compute-pools": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/ComputePool"
       }
      }
     }
    }
   }
  },
  "/v1/compute-pools/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/ComputePool"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/ComputePool"
    },
    "201": {
     "$ref": "#/components/schemas/ComputePool"
    }
   }
  },
  "/v1/costs": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Costs"
    }
   }
  },
  "/v1/data-domains": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/DataDomain"
       }
      }
     }
    }
   }
  },
  "/v1/data-domains/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/DataDomain"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/DataDomain"
    },
    "201": {
     "$ref": "#/components/schemas/DataDomain"
    }
   }
  },
  "/v1/decisions": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Decision"
    }
   }
  },
  "/v1/decisions/{id}/outcome": {
   "post": {
    "204": null
   }
  },
  "/v1/decisions/simulate": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Simulation"
    }
   }
  },
  "/v1/diagnostic": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Diagnostic"
    }
   }
  },
  "/v1/events": {
   "post": {
    "200": {
     "type": "object",
     "required": [
      "accepted",
      "duplicates",
      "rejected"
     ],
     "properties": {
      "accepted": {
       "type": "integer"
      },
      "duplicates": {
       "type": "integer"
      },
      "rejected": {
       "type": "array",
       "items": {
        "type": "object",
        "required": [
         "index",
         "reason"
        ],
        "properties": {
         "index": {
          "type": "integer"
         },
         "reason": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/v1/export": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "files"
     ],
     "properties": {
      "files": {
       "type": "array",
       "items": {
        "type": "object",
        "required": [
         "path",
         "content"
        ],
        "properties": {
         "path": {
          "type": "string"
         },
         "content": {
          "type": "string"
         }
        }
       }
      }
     }
    }
   }
  },
  "/v1/incidents": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Incident"
       }
      }
     }
    }
   },
   "post": {
    "201": {
     "$ref": "#/components/schemas/Incident"
    }
   }
  },
  "/v1/incidents/{id}": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/IncidentWithTimeline"
    }
   }
  },
  "/v1/incidents/{id}/notes": {
   "post": {
    "204": null
   }
  },
  "/v1/incidents/{id}/report": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Incident"
    }
   }
  },
  "/v1/incidents/{id}/transitions": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Incident"
    }
   }
  },
  "/v1/initiatives": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Initiative"
       }
      }
     }
    }
   }
  },
  "/v1/initiatives/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Initiative"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Initiative"
    },
    "201": {
     "$ref": "#/components/schemas/Initiative"
    }
   }
  },
  "/v1/initiatives/{name}/evidence": {
   "get": {
    "200": null
   }
  },
  "/v1/initiatives/{name}/measurements": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Measurement"
       }
      }
     }
    }
   },
   "post": {
    "201": {
     "$ref": "#/components/schemas/Measurement"
    }
   }
  },
  "/v1/initiatives/{name}/outcomes": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Outcomes"
    }
   }
  },
  "/v1/initiatives/{name}/promotions": {
   "post": {
    "201": {
     "$ref": "#/components/schemas/Review"
    }
   }
  },
  "/v1/initiatives/{name}/risk-assessment": {
   "post": {
    "201": {
     "$ref": "#/components/schemas/RiskAssessment"
    }
   }
  },
  "/v1/initiatives/{name}/risk-assessments": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/RiskAssessment"
       }
      }
     }
    }
   }
  },
  "/v1/initiatives/{name}/roi": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Roi"
    }
   }
  },
  "/v1/mcp-servers": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/McpServer"
       }
      }
     }
    }
   }
  },
  "/v1/mcp-servers/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/McpServer"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/McpServer"
    },
    "201": {
     "$ref": "#/components/schemas/McpServer"
    }
   }
  },
  "/v1/mcp-servers/{name}/tools": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/McpToolDiscovery"
    }
   }
  },
  "/v1/model-endpoints": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/ModelEndpoint"
       }
      }
     }
    }
   }
  },
  "/v1/model-endpoints/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/ModelEndpoint"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/ModelEndpoint"
    },
    "201": {
     "$ref": "#/components/schemas/ModelEndpoint"
    }
   }
  },
  "/v1/models": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Model"
       }
      }
     }
    }
   }
  },
  "/v1/models/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Model"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Model"
    },
    "201": {
     "$ref": "#/components/schemas/Model"
    }
   }
  },
  "/v1/monitors": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Monitor"
       }
      }
     }
    }
   }
  },
  "/v1/monitors/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Monitor"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Monitor"
    },
    "201": {
     "$ref": "#/components/schemas/Monitor"
    }
   }
  },
  "/v1/monitors/evaluate": {
   "post": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/MonitorStatus"
       }
      }
     }
    }
   }
  },
  "/v1/monitors/status": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/MonitorStatus"
       }
      }
     }
    }
   }
  },
  "/v1/people": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Person"
       }
      }
     }
    }
   }
  },
  "/v1/people/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Person"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Person"
    },
    "201": {
     "$ref": "#/components/schemas/Person"
    }
   }
  },
  "/v1/people/{name}/sessions": {
   "delete": {
    "200": {
     "$ref": "#/components/schemas/EndedSessions"
    }
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/SessionList"
    }
   }
  },
  "/v1/people/{name}/sessions/{id}": {
   "delete": {
    "204": null
   }
  },
  "/v1/people/{name}/tokens": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Credential"
       }
      }
     }
    }
   },
   "post": {
    "201": {
     "$ref": "#/components/schemas/IssuedToken"
    }
   }
  },
  "/v1/people/{name}/tokens/{id}": {
   "delete": {
    "204": null
   }
  },
  "/v1/plan": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Plan"
    }
   }
  },
  "/v1/policies": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Policy"
       }
      }
     }
    }
   }
  },
  "/v1/policies/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Policy"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Policy"
    },
    "201": {
     "$ref": "#/components/schemas/Policy"
    }
   }
  },
  "/v1/policies/effective": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "revision",
      "policies"
     ],
     "properties": {
      "revision": {
       "type": "integer"
      },
      "policies": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/EffectivePolicy"
       }
      }
     }
    }
   }
  },
  "/v1/portfolio": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Portfolio"
    }
   }
  },
  "/v1/registry/changes": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/RegistryChange"
       }
      }
     }
    }
   }
  },
  "/v1/report": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Report"
    }
   }
  },
  "/v1/retention": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/RetentionPolicy"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/RetentionPolicy"
    }
   }
  },
  "/v1/retention/purge": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/RetentionPurge"
    }
   }
  },
  "/v1/reviews": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Review"
       }
      }
     }
    }
   }
  },
  "/v1/reviews/{id}": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Review"
    }
   }
  },
  "/v1/reviews/{id}/sign-offs": {
   "post": {
    "200": {
     "$ref": "#/components/schemas/Review"
    }
   }
  },
  "/v1/risk-questionnaire": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/RiskQuestionnaire"
    }
   }
  },
  "/v1/shadow-agents": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "nextCursor": {
       "type": "string"
      },
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/ShadowAgent"
       }
      }
     }
    }
   }
  },
  "/v1/signals": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Signals"
    }
   }
  },
  "/v1/spend-limit-status": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "nextCursor": {
       "type": "string"
      },
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/SpendLimitStatus"
       }
      }
     }
    }
   }
  },
  "/v1/spend-limits": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/SpendLimit"
       }
      }
     }
    }
   }
  },
  "/v1/spend-limits/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/SpendLimit"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/SpendLimit"
    },
    "201": {
     "$ref": "#/components/schemas/SpendLimit"
    }
   }
  },
  "/v1/spend-limits/{name}/status": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/SpendLimitStatus"
    }
   }
  },
  "/v1/telemetry-collectors": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/TelemetryCollector"
       }
      }
     }
    }
   }
  },
  "/v1/telemetry-collectors/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/TelemetryCollector"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/TelemetryCollector"
    },
    "201": {
     "$ref": "#/components/schemas/TelemetryCollector"
    }
   }
  },
  "/v1/telemetry-collectors/{name}/keys": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Credential"
       }
      }
     }
    }
   },
   "post": {
    "201": {
     "$ref": "#/components/schemas/IssuedKey"
    }
   }
  },
  "/v1/telemetry-collectors/{name}/keys/{id}": {
   "delete": {
    "204": null
   }
  },
  "/v1/tools": {
   "get": {
    "200": {
     "type": "object",
     "required": [
      "items"
     ],
     "properties": {
      "items": {
       "type": "array",
       "items": {
        "$ref": "#/components/schemas/Tool"
       }
      }
     }
    }
   }
  },
  "/v1/tools/{name}": {
   "delete": {
    "204": null
   },
   "get": {
    "200": {
     "$ref": "#/components/schemas/Tool"
    }
   },
   "put": {
    "200": {
     "$ref": "#/components/schemas/Tool"
    },
    "201": {
     "$ref": "#/components/schemas/Tool"
    }
   }
  },
  "/v1/whoami": {
   "get": {
    "200": {
     "$ref": "#/components/schemas/Whoami"
    }
   }
  }
 },
 "components": {
  "schemas": {
   "Agent": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Agent"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "initiative",
       "extraTools",
       "owner",
       "status"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "initiative": {
        "type": "string"
       },
       "archetype": {
        "type": "string"
       },
       "extraTools": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "owner": {
        "type": "string"
       },
       "framework": {
        "type": "string"
       },
       "status": {
        "type": "string",
        "enum": [
         "active",
         "suspended",
         "retired"
        ]
       },
       "oauthClientId": {
        "type": "string"
       },
       "rateLimits": {
        "type": "object",
        "properties": {
         "requestsPerMinute": {
          "type": "integer"
         },
         "tokensPerMinute": {
          "type": "integer"
         }
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "AgentControl": {
    "type": "object",
    "required": [
     "agent",
     "status",
     "reason",
     "actor",
     "at"
    ],
    "properties": {
     "agent": {
      "type": "string"
     },
     "status": {
      "type": "string"
     },
     "reason": {
      "type": "string"
     },
     "actor": {
      "type": "string"
     },
     "at": {
      "type": "string"
     }
    }
   },
   "Alignment": {
    "type": "object",
    "required": [
     "budget",
     "currency",
     "period",
     "elapsed",
     "categories",
     "total",
     "spendWithoutOutcomes",
     "spendOnStalledPilots",
     "unpricedModelCalls"
    ],
    "properties": {
     "budget": {
      "type": "string"
     },
     "currency": {
      "type": "string"
     },
     "period": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "elapsed": {
      "type": "number"
     },
     "categories": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "category",
        "allocated",
        "proRated",
        "actual",
        "deviation",
        "offPlan"
       ],
       "properties": {
        "category": {
         "type": "string",
         "enum": [
          "model-licences",
          "infrastructure-compute",
          "data-integration",
          "security-governance",
          "agents-platforms",
          "change-training"
         ]
        },
        "allocated": {
         "type": "number"
        },
        "proRated": {
         "type": "number"
        },
        "actual": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "deviation": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "offPlan": {
         "type": "boolean"
        }
       }
      }
     },
     "total": {
      "type": "number"
     },
     "spendWithoutOutcomes": {
      "type": "object",
      "required": [
       "total",
       "share",
       "initiatives"
      ],
      "properties": {
       "total": {
        "type": "number"
       },
       "share": {
        "type": "number"
       },
       "initiatives": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "initiative",
          "amount"
         ],
         "properties": {
          "initiative": {
           "type": "string"
          },
          "amount": {
           "type": "number"
          }
         }
        }
       }
      }
     },
     "spendOnStalledPilots": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "since",
        "amount"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "since": {
         "type": "string"
        },
        "amount": {
         "type": "number"
        }
       }
      }
     },
     "unpricedModelCalls": {
      "type": "integer"
     },
     "telemetryNotIncludedUsd": {
      "type": "number"
     }
    }
   },
   "ApplyResult": {
    "type": "object",
    "required": [
     "dryRun",
     "revision",
     "created",
     "updated",
     "unchanged",
     "deleted",
     "warnings"
    ],
    "properties": {
     "dryRun": {
      "type": "boolean"
     },
     "revision": {
      "type": "integer"
     },
     "created": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "updated": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "unchanged": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "deleted": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "warnings": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "message"
       ],
       "properties": {
        "message": {
         "type": "string"
        },
        "kind": {
         "type": "string"
        },
        "name": {
         "type": "string"
        },
        "path": {
         "type": "string"
        },
        "file": {
         "type": "string"
        },
        "line": {
         "type": "integer"
        },
        "col": {
         "type": "integer"
        }
       }
      }
     }
    }
   },
   "Approval": {
    "type": "object",
    "required": [
     "id",
     "decisionId",
     "agent",
     "tool",
     "arguments",
     "dataDomains",
     "reasons",
     "status",
     "createdAt",
     "expiresAt",
     "decidedBy",
     "decidedAt",
     "comment",
     "usedAt",
     "usedDecisionId",
     "revokedAt",
     "revokedReason",
     "agentOwner",
     "keyIssuer",
     "oauthClient",
     "clientBinders"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "decisionId": {
      "type": "string"
     },
     "agent": {
      "type": "string"
     },
     "tool": {
      "type": "string"
     },
     "arguments": {},
     "dataDomains": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "reasons": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "status": {
      "type": "string",
      "enum": [
       "pending",
       "approved",
       "denied",
       "expired",
       "used",
       "revoked"
      ]
     },
     "createdAt": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string"
     },
     "decidedBy": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "decidedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "comment": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "usedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "usedDecisionId": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "revokedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "revokedReason": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "agentOwner": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "keyIssuer": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "oauthClient": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "clientBinders": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "Archetype": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Archetype"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "tools",
       "dataDomains",
       "models",
       "autonomy",
       "frameworks",
       "handoffRules"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "tools": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "dataDomains": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "models": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "autonomy": {
        "type": "string",
        "enum": [
         "suggest",
         "supervised",
         "autonomous"
        ]
       },
       "frameworks": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "handoffRules": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "when",
          "to"
         ],
         "properties": {
          "when": {
           "type": "string"
          },
          "to": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "AuditEntry": {
    "type": "object",
    "required": [
     "id",
     "kind",
     "at",
     "actor",
     "agent",
     "action",
     "target",
     "decision",
     "reasons",
     "monitor",
     "policyVersion",
     "arguments",
     "argumentsHash",
     "dataDomains",
     "taskId",
     "approvalId",
     "detail",
     "chainId",
     "seq",
     "hash"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "type": "string"
     },
     "at": {
      "type": "string"
     },
     "actor": {
      "type": "string"
     },
     "agent": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "action": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "target": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "decision": {
      "anyOf": [
       {
        "type": "string",
        "enum": [
         "allow",
         "deny",
         "approval_required"
        ]
       },
       {
        "type": "null"
       }
      ]
     },
     "reasons": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "monitor": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "policyVersion": {
      "type": "integer"
     },
     "arguments": {},
     "argumentsHash": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "dataDomains": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "taskId": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "approvalId": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "detail": {
      "type": "object",
      "additionalProperties": {}
     },
     "chainId": {
      "type": "string"
     },
     "seq": {
      "type": "integer"
     },
     "hash": {
      "type": "string"
     }
    }
   },
   "AuditFinding": {
    "type": "object",
    "required": [
     "chainId",
     "seq",
     "id",
     "problem"
    ],
    "properties": {
     "chainId": {
      "type": "string"
     },
     "seq": {
      "type": "integer"
     },
     "id": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "missing-entry",
       "link-broken",
       "content-changed",
       "arguments-changed",
       "rewritten",
       "truncated",
       "chain-deleted",
       "start-forged",
       "appended",
       "checkpoint-forged"
      ]
     },
     "problem": {
      "type": "string"
     }
    }
   },
   "AuditVerification": {
    "type": "object",
    "required": [
     "ok",
     "chains",
     "entries"
    ],
    "properties": {
     "ok": {
      "type": "boolean"
     },
     "chains": {
      "type": "integer"
     },
     "entries": {
      "type": "integer"
     },
     "broken": {
      "$ref": "#/components/schemas/AuditFinding"
     },
     "findings": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/AuditFinding"
      }
     },
     "signatures": {
      "type": "string",
      "enum": [
       "checked",
       "unchecked"
      ]
     },
     "earlierKeys": {
      "type": "object",
      "additionalProperties": {
       "type": "integer"
      }
     },
     "checkpoint": {
      "type": "object",
      "required": [
       "source",
       "at",
       "chains",
       "entries"
      ],
      "properties": {
       "source": {
        "type": "string"
       },
       "at": {
        "type": "string"
       },
       "chains": {
        "type": "integer"
       },
       "entries": {
        "type": "integer"
       }
      }
     }
    }
   },
   "AuthSession": {
    "type": "object",
    "required": [
     "signIn",
     "session"
    ],
    "properties": {
     "signIn": {
      "type": "object",
      "required": [
       "oidc",
       "deviceLogin"
      ],
      "properties": {
       "oidc": {
        "type": "boolean"
       },
       "name": {
        "type": "string"
       },
       "deviceLogin": {
        "type": "boolean"
       }
      }
     },
     "session": {
      "anyOf": [
       {
        "type": "object",
        "required": [
         "person",
         "roles",
         "expiresAt",
         "csrfToken"
        ],
        "properties": {
         "person": {
          "type": "string"
         },
         "roles": {
          "type": "array",
          "items": {
           "type": "string",
           "enum": [
            "admin",
            "platform",
            "owner",
            "reviewer:risk",
            "reviewer:legal",
            "reviewer:security",
            "reviewer:data",
            "approver",
            "viewer"
           ]
          }
         },
         "expiresAt": {
          "type": "string"
         },
         "csrfToken": {
          "type": "string"
         }
        }
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "BackupStatus": {
    "type": "object",
    "required": [
     "engine",
     "state"
    ],
    "properties": {
     "engine": {
      "type": "string",
      "enum": [
       "sqlite",
       "postgres"
      ]
     },
     "state": {
      "type": "string",
      "enum": [
       "recorded",
       "none",
       "unreadable",
       "elsewhere"
      ]
     },
     "note": {
      "type": "string"
     },
     "lastBackup": {
      "type": "object",
      "required": [
       "at",
       "ageSeconds",
       "file",
       "bytes"
      ],
      "properties": {
       "at": {
        "type": "string"
       },
       "ageSeconds": {
        "type": "integer"
       },
       "file": {
        "type": "string"
       },
       "bytes": {
        "type": "integer"
       },
       "seconds": {
        "type": "number"
       },
       "checked": {
        "type": "string"
       }
      }
     }
    }
   },
   "Budget": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Budget"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "period",
       "currency",
       "allocations",
       "actuals"
      ],
      "properties": {
       "period": {
        "type": "object",
        "required": [
         "from",
         "to"
        ],
        "properties": {
         "from": {
          "type": "string"
         },
         "to": {
          "type": "string"
         }
        }
       },
       "currency": {
        "type": "string"
       },
       "allocations": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "category",
          "amount"
         ],
         "properties": {
          "category": {
           "type": "string",
           "enum": [
            "model-licences",
            "infrastructure-compute",
            "data-integration",
            "security-governance",
            "agents-platforms",
            "change-training"
           ]
          },
          "amount": {
           "type": "number"
          },
          "initiative": {
           "type": "string"
          }
         }
        }
       },
       "actuals": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "category",
          "amount",
          "date"
         ],
         "properties": {
          "category": {
           "type": "string",
           "enum": [
            "model-licences",
            "infrastructure-compute",
            "data-integration",
            "security-governance",
            "agents-platforms",
            "change-training"
           ]
          },
          "amount": {
           "type": "number"
          },
          "date": {
           "type": "string"
          },
          "initiative": {
           "type": "string"
          },
          "description": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "BusinessUnit": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "BusinessUnit"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "title"
      ],
      "properties": {
       "title": {
        "type": "string"
       },
       "owner": {
        "type": "string"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "ComputePool": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "ComputePool"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "region",
       "unit",
       "capacity",
       "powerConstrained"
      ],
      "properties": {
       "region": {
        "type": "string"
       },
       "unit": {
        "type": "string"
       },
       "capacity": {
        "type": "number"
       },
       "forecastDemand": {
        "type": "number"
       },
       "powerConstrained": {
        "type": "boolean"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Costs": {
    "type": "object",
    "required": [
     "from",
     "to",
     "groupBy",
     "rows",
     "totalRows"
    ],
    "properties": {
     "from": {
      "type": "string"
     },
     "to": {
      "type": "string"
     },
     "groupBy": {
      "type": "string",
      "enum": [
       "agent",
       "initiative",
       "model",
       "business-unit"
      ]
     },
     "rows": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "key",
        "costUsd",
        "inputTokens",
        "outputTokens",
        "calls",
        "unpricedCalls",
        "unpriced"
       ],
       "properties": {
        "key": {
         "type": "string"
        },
        "costUsd": {
         "type": "number"
        },
        "inputTokens": {
         "type": "integer"
        },
        "outputTokens": {
         "type": "integer"
        },
        "calls": {
         "type": "integer"
        },
        "unpricedCalls": {
         "type": "integer"
        },
        "unpriced": {
         "type": "object",
         "required": [
          "unknownModel",
          "noPrice",
          "noUsage",
          "serviceTier"
         ],
         "properties": {
          "unknownModel": {
           "type": "integer"
          },
          "noPrice": {
           "type": "integer"
          },
          "noUsage": {
           "type": "integer"
          },
          "serviceTier": {
           "type": "integer"
          }
         }
        }
       }
      }
     },
     "totalRows": {
      "type": "integer"
     }
    }
   },
   "Credential": {
    "type": "object",
    "required": [
     "id",
     "prefix",
     "description",
     "createdAt",
     "createdBy",
     "revokedAt",
     "revokedBy"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     },
     "description": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "createdAt": {
      "type": "string"
     },
     "createdBy": {
      "type": "string"
     },
     "revokedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "revokedBy": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "DataDomain": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "DataDomain"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "owner",
       "classification",
       "regions"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "owner": {
        "type": "string"
       },
       "classification": {
        "type": "string",
        "enum": [
         "public",
         "internal",
         "confidential",
         "restricted"
        ]
       },
       "regions": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "maturity": {
        "type": "object",
        "required": [
         "quality",
         "lineage",
         "accessPolicy",
         "productionReady"
        ],
        "properties": {
         "quality": {
          "type": "string",
          "enum": [
           "low",
           "medium",
           "high"
          ]
         },
         "lineage": {
          "type": "string",
          "enum": [
           "none",
           "partial",
           "complete"
          ]
         },
         "accessPolicy": {
          "type": "string",
          "enum": [
           "none",
           "draft",
           "enforced"
          ]
         },
         "productionReady": {
          "type": "boolean"
         },
         "assessedAt": {
          "type": "string"
         }
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Decision": {
    "type": "object",
    "required": [
     "decision",
     "decisionId",
     "reasons",
     "policyVersion"
    ],
    "properties": {
     "decision": {
      "type": "string",
      "enum": [
       "allow",
       "deny",
       "approval_required"
      ]
     },
     "decisionId": {
      "type": "string"
     },
     "reasons": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "monitor": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "approvalId": {
      "type": "string"
     },
     "policyVersion": {
      "type": "integer"
     }
    }
   },
   "DeviceAuthorization": {
    "type": "object",
    "required": [
     "deviceCode",
     "userCode",
     "verificationUri",
     "interval",
     "expiresIn"
    ],
    "properties": {
     "deviceCode": {
      "type": "string"
     },
     "userCode": {
      "type": "string"
     },
     "verificationUri": {
      "type": "string"
     },
     "verificationUriComplete": {
      "type": "string"
     },
     "interval": {
      "type": "integer"
     },
     "expiresIn": {
      "type": "integer"
     }
    }
   },
   "DeviceSession": {
    "type": "object",
    "required": [
     "token",
     "expiresAt",
     "person"
    ],
    "properties": {
     "token": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string"
     },
     "person": {
      "type": "string"
     }
    }
   },
   "Diagnostic": {
    "type": "object",
    "required": [
     "verdict",
     "areas",
     "window",
     "generatedAt"
    ],
    "properties": {
     "verdict": {
      "type": "string",
      "enum": [
       "scale",
       "at-risk",
       "fail"
      ]
     },
     "areas": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "area",
        "question",
        "status",
        "evidence",
        "action"
       ],
       "properties": {
        "area": {
         "type": "string",
         "enum": [
          "outcomes",
          "agents",
          "data-infrastructure",
          "governance",
          "operating-model",
          "budget"
         ]
        },
        "question": {
         "type": "string"
        },
        "status": {
         "type": "string",
         "enum": [
          "pass",
          "partial",
          "fail",
          "unknown"
         ]
        },
        "evidence": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "label",
           "value"
          ],
          "properties": {
           "label": {
            "type": "string"
           },
           "value": {
            "anyOf": [
             {
              "type": "string"
             },
             {
              "type": "number"
             }
            ]
           }
          }
         }
        },
        "action": {
         "type": "string"
        },
        "why": {
         "type": "string"
        }
       }
      }
     },
     "window": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "generatedAt": {
      "type": "string"
     }
    }
   },
   "EffectivePolicy": {
    "type": "object",
    "required": [
     "id",
     "effect",
     "mode",
     "source",
     "text"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "effect": {
      "type": "string",
      "enum": [
       "permit",
       "forbid"
      ]
     },
     "approval": {
      "type": "string"
     },
     "mode": {
      "type": "string",
      "enum": [
       "enforce",
       "monitor"
      ]
     },
     "source": {
      "type": "string",
      "enum": [
       "builtin",
       "custom"
      ]
     },
     "description": {
      "type": "string"
     },
     "text": {
      "type": "string"
     }
    }
   },
   "EndedSessions": {
    "type": "object",
    "required": [
     "ended"
    ],
    "properties": {
     "ended": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "ExportTraceServiceResponse": {
    "type": "object",
    "properties": {
     "partialSuccess": {
      "type": "object",
      "required": [
       "rejectedSpans",
       "errorMessage"
      ],
      "properties": {
       "rejectedSpans": {
        "type": "string"
       },
       "errorMessage": {
        "type": "string"
       }
      }
     }
    }
   },
   "Health": {
    "type": "object",
    "required": [
     "status",
     "database"
    ],
    "properties": {
     "status": {
      "type": "string",
      "enum": [
       "ok",
       "unavailable"
      ]
     },
     "database": {
      "type": "string",
      "enum": [
       "sqlite",
       "postgres"
      ]
     },
     "revision": {
      "type": "integer"
     }
    }
   },
   "Incident": {
    "type": "object",
    "required": [
     "id",
     "title",
     "description",
     "severity",
     "status",
     "owner",
     "agents",
     "initiatives",
     "seriousIncident",
     "seriousKind",
     "awareAt",
     "reporting",
     "reportReference",
     "source",
     "openedAt",
     "updatedAt"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "description": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "severity": {
      "type": "string",
      "enum": [
       "sev1",
       "sev2",
       "sev3",
       "sev4"
      ]
     },
     "status": {
      "type": "string",
      "enum": [
       "open",
       "mitigated",
       "resolved",
       "closed"
      ]
     },
     "owner": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "agents": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "initiatives": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "seriousIncident": {
      "type": "boolean"
     },
     "seriousKind": {
      "anyOf": [
       {
        "type": "string",
        "enum": [
         "death",
         "widespread-infringement",
         "critical-infrastructure",
         "other"
        ]
       },
       {
        "type": "null"
       }
      ]
     },
     "awareAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "reporting": {
      "anyOf": [
       {
        "type": "object",
        "required": [
         "dueAt",
         "reportedAt",
         "overdue",
         "daysLeft"
        ],
        "properties": {
         "dueAt": {
          "type": "string"
         },
         "reportedAt": {
          "anyOf": [
           {
            "type": "string"
           },
           {
            "type": "null"
           }
          ]
         },
         "overdue": {
          "type": "boolean"
         },
         "daysLeft": {
          "anyOf": [
           {
            "type": "integer"
           },
           {
            "type": "null"
           }
          ]
         }
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "reportReference": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "source": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "openedAt": {
      "type": "string"
     },
     "updatedAt": {
      "type": "string"
     }
    }
   },
   "IncidentWithTimeline": {
    "type": "object",
    "required": [
     "id",
     "title",
     "description",
     "severity",
     "status",
     "owner",
     "agents",
     "initiatives",
     "seriousIncident",
     "seriousKind",
     "awareAt",
     "reporting",
     "reportReference",
     "source",
     "openedAt",
     "updatedAt",
     "timeline"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "title": {
      "type": "string"
     },
     "description": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "severity": {
      "type": "string",
      "enum": [
       "sev1",
       "sev2",
       "sev3",
       "sev4"
      ]
     },
     "status": {
      "type": "string",
      "enum": [
       "open",
       "mitigated",
       "resolved",
       "closed"
      ]
     },
     "owner": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "agents": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "initiatives": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "seriousIncident": {
      "type": "boolean"
     },
     "seriousKind": {
      "anyOf": [
       {
        "type": "string",
        "enum": [
         "death",
         "widespread-infringement",
         "critical-infrastructure",
         "other"
        ]
       },
       {
        "type": "null"
       }
      ]
     },
     "awareAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "reporting": {
      "anyOf": [
       {
        "type": "object",
        "required": [
         "dueAt",
         "reportedAt",
         "overdue",
         "daysLeft"
        ],
        "properties": {
         "dueAt": {
          "type": "string"
         },
         "reportedAt": {
          "anyOf": [
           {
            "type": "string"
           },
           {
            "type": "null"
           }
          ]
         },
         "overdue": {
          "type": "boolean"
         },
         "daysLeft": {
          "anyOf": [
           {
            "type": "integer"
           },
           {
            "type": "null"
           }
          ]
         }
        }
       },
       {
        "type": "null"
       }
      ]
     },
     "reportReference": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "source": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "openedAt": {
      "type": "string"
     },
     "updatedAt": {
      "type": "string"
     },
     "timeline": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "at",
        "actor",
        "kind",
        "status",
        "note"
       ],
       "properties": {
        "at": {
         "type": "string"
        },
        "actor": {
         "type": "string"
        },
        "kind": {
         "type": "string"
        },
        "status": {
         "anyOf": [
          {
           "type": "string",
           "enum": [
            "open",
            "mitigated",
            "resolved",
            "closed"
           ]
          },
          {
           "type": "null"
          }
         ]
        },
        "note": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        }
       }
      }
     }
    }
   },
   "Initiative": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Initiative"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "title",
       "type",
       "stage",
       "owner",
       "businessUnit",
       "outcomes"
      ],
      "properties": {
       "title": {
        "type": "string"
       },
       "description": {
        "type": "string"
       },
       "type": {
        "type": "string",
        "enum": [
         "chatbot",
         "copilot",
         "agent"
        ]
       },
       "riskTier": {
        "type": "string",
        "enum": [
         "minimal",
         "low",
         "medium",
         "high",
         "prohibited"
        ]
       },
       "stage": {
        "type": "string",
        "enum": [
         "proposed",
         "pilot",
         "production",
         "scaled",
         "retired"
        ]
       },
       "stageSince": {
        "type": "string"
       },
       "owner": {
        "type": "string"
       },
       "businessUnit": {
        "type": "string"
       },
       "oversightOwner": {
        "type": "string"
       },
       "incidentOwner": {
        "type": "string"
       },
       "outcomes": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "name",
          "source",
          "unit",
          "direction",
          "baseline",
          "target"
         ],
         "properties": {
          "name": {
           "type": "string"
          },
          "source": {
           "type": "string",
           "enum": [
            "resolution_rate",
            "escalation_rate",
            "error_rate",
            "cost_per_resolved_task",
            "avg_handle_time",
            "time_saved_hours",
            "manual"
           ]
          },
          "unit": {
           "type": "string"
          },
          "direction": {
           "type": "string",
           "enum": [
            "increase",
            "decrease"
           ]
          },
          "baseline": {
           "type": "object",
           "required": [
            "value",
            "period"
           ],
           "properties": {
            "value": {
             "type": "number"
            },
            "period": {
             "type": "string"
            }
           }
          },
          "target": {
           "type": "number"
          },
          "valuePerUnit": {
           "type": "number"
          }
         }
        }
       },
       "forecast": {
        "type": "object",
        "properties": {
         "tasksPerMonth": {
          "type": "number"
         },
         "computePerTask": {
          "type": "number"
         }
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "IssuedKey": {
    "type": "object",
    "required": [
     "id",
     "key",
     "prefix"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "key": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     }
    }
   },
   "IssuedToken": {
    "type": "object",
    "required": [
     "id",
     "token",
     "prefix"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "token": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     }
    }
   },
   "McpServer": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "McpServer"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "transport"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "transport": {
        "type": "string",
        "enum": [
         "stdio",
         "http"
        ]
       },
       "command": {
        "type": "string"
       },
       "args": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "url": {
        "type": "string"
       },
       "headers": {
        "type": "object",
        "additionalProperties": {
         "type": "object",
         "required": [
          "env"
         ],
         "properties": {
          "env": {
           "type": "string"
          }
         }
        }
       },
       "toolPrefix": {
        "type": "string"
       },
       "timeoutMs": {
        "type": "integer"
       },
       "approvalWaitSeconds": {
        "type": "integer"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "McpToolDiscovery": {
    "type": "object",
    "required": [
     "server",
     "prefix",
     "tools"
    ],
    "properties": {
     "server": {
      "type": "string"
     },
     "prefix": {
      "type": "string"
     },
     "tools": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "mcpName",
        "upstreamName",
        "registered",
        "descriptor"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "mcpName": {
         "type": "string"
        },
        "upstreamName": {
         "type": "string"
        },
        "registered": {
         "type": "boolean"
        },
        "descriptor": {
         "type": "object",
         "required": [
          "apiVersion",
          "kind",
          "metadata",
          "spec"
         ],
         "properties": {
          "apiVersion": {
           "type": "string",
           "enum": [
            "fulcrum/v1"
           ]
          },
          "kind": {
           "type": "string",
           "enum": [
            "Tool"
           ]
          },
          "metadata": {
           "type": "object",
           "required": [
            "name",
            "labels"
           ],
           "properties": {
            "name": {
             "type": "string"
            },
            "labels": {
             "type": "object",
             "additionalProperties": {
              "type": "string"
             }
            }
           }
          },
          "spec": {
           "type": "object",
           "required": [
            "system",
            "effect",
            "dataDomains",
            "arguments"
           ],
           "properties": {
            "description": {
             "type": "string"
            },
            "system": {
             "type": "string"
            },
            "effect": {
             "type": "string",
             "enum": [
              "read",
              "write",
              "destructive"
             ]
            },
            "dataDomains": {
             "type": "array",
             "items": {
              "type": "string"
             }
            },
            "arguments": {
             "type": "object",
             "additionalProperties": {}
            }
           }
          }
         }
        }
       }
      }
     }
    }
   },
   "Measurement": {
    "type": "object",
    "required": [
     "initiative",
     "metric",
     "period",
     "value",
     "provenance",
     "recordedBy",
     "recordedAt"
    ],
    "properties": {
     "initiative": {
      "type": "string"
     },
     "metric": {
      "type": "string"
     },
     "period": {
      "type": "string"
     },
     "value": {
      "type": "number"
     },
     "provenance": {
      "type": "string",
      "enum": [
       "self-reported"
      ]
     },
     "recordedBy": {
      "type": "string"
     },
     "recordedAt": {
      "type": "string"
     }
    }
   },
   "Model": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Model"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "provider",
       "hosting",
       "regions",
       "status",
       "maxClassification",
       "pricing"
      ],
      "properties": {
       "provider": {
        "type": "string"
       },
       "hosting": {
        "type": "string",
        "enum": [
         "vendor",
         "self-hosted"
        ]
       },
       "regions": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "status": {
        "type": "string",
        "enum": [
         "approved",
         "restricted",
         "banned"
        ]
       },
       "maxClassification": {
        "type": "string",
        "enum": [
         "public",
         "internal",
         "confidential",
         "restricted"
        ]
       },
       "pricing": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "from",
          "currency",
          "inputPerMillion",
          "outputPerMillion"
         ],
         "properties": {
          "from": {
           "type": "string"
          },
          "currency": {
           "type": "string"
          },
          "inputPerMillion": {
           "type": "number"
          },
          "outputPerMillion": {
           "type": "number"
          },
          "cachedInputPerMillion": {
           "type": "number"
          },
          "cacheWriteInputPerMillion": {
           "type": "number"
          },
          "longContext": {
           "type": "object",
           "required": [
            "aboveInputTokens",
            "inputPerMillion",
            "outputPerMillion"
           ],
           "properties": {
            "aboveInputTokens": {
             "type": "integer"
            },
            "inputPerMillion": {
             "type": "number"
            },
            "outputPerMillion": {
             "type": "number"
            },
            "cachedInputPerMillion": {
             "type": "number"
            },
            "cacheWriteInputPerMillion": {
             "type": "number"
            }
           }
          }
         }
        }
       },
       "capabilityClass": {
        "type": "string",
        "enum": [
         "frontier",
         "mid-tier",
         "small",
         "open-weight"
        ]
       },
       "aliases": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "endpoint": {
        "type": "string"
       },
       "upstreamName": {
        "type": "string"
       },
       "maxOutputTokens": {
        "type": "integer"
       },
       "contextWindow": {
        "type": "integer"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "ModelEndpoint": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "ModelEndpoint"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "api",
       "baseUrl",
       "timeoutMs"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "api": {
        "type": "string",
        "enum": [
         "openai",
         "anthropic"
        ]
       },
       "baseUrl": {
        "type": "string"
       },
       "credential": {
        "type": "object",
        "required": [
         "env"
        ],
        "properties": {
         "env": {
          "type": "string"
         }
        }
       },
       "timeoutMs": {
        "type": "integer"
       },
       "serviceTier": {
        "type": "string",
        "enum": [
         "default",
         "flex",
         "standard_only"
        ]
       },
       "outputLimit": {
        "type": "string",
        "enum": [
         "max_completion_tokens",
         "max_tokens",
         "both"
        ]
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Monitor": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Monitor"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "metric",
       "window",
       "threshold",
       "minSamples",
       "severity",
       "suspendOnBreach"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "metric": {
        "type": "string",
        "enum": [
         "deny_rate",
         "approval_rate",
         "error_rate",
         "escalation_rate",
         "cost_per_day",
         "shadow_agents",
         "monitor_policy_hits"
        ]
       },
       "agent": {
        "type": "string"
       },
       "initiative": {
        "type": "string"
       },
       "budget": {
        "type": "string"
       },
       "window": {
        "type": "string"
       },
       "threshold": {
        "type": "number"
       },
       "minSamples": {
        "type": "integer"
       },
       "severity": {
        "type": "string",
        "enum": [
         "sev1",
         "sev2",
         "sev3",
         "sev4"
        ]
       },
       "suspendOnBreach": {
        "type": "boolean"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "MonitorStatus": {
    "type": "object",
    "required": [
     "monitor",
     "metric",
     "value",
     "samples",
     "threshold",
     "breached",
     "evaluatedAt"
    ],
    "properties": {
     "monitor": {
      "type": "string"
     },
     "metric": {
      "type": "string",
      "enum": [
       "deny_rate",
       "approval_rate",
       "error_rate",
       "escalation_rate",
       "cost_per_day",
       "shadow_agents",
       "monitor_policy_hits"
      ]
     },
     "value": {
      "type": "number"
     },
     "samples": {
      "type": "integer"
     },
     "threshold": {
      "type": "number"
     },
     "breached": {
      "type": "boolean"
     },
     "incident": {
      "type": "string"
     },
     "deduplicated": {
      "type": "boolean"
     },
     "suspended": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "error": {
      "type": "string"
     },
     "evaluatedAt": {
      "type": "string"
     }
    }
   },
   "Outcomes": {
    "type": "object",
    "required": [
     "initiative",
     "window",
     "agents",
     "metrics"
    ],
    "properties": {
     "initiative": {
      "type": "string"
     },
     "window": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "agents": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "metrics": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "source",
        "unit",
        "direction",
        "baseline",
        "target",
        "current",
        "provenance",
        "progress",
        "series"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "source": {
         "type": "string",
         "enum": [
          "resolution_rate",
          "escalation_rate",
          "error_rate",
          "cost_per_resolved_task",
          "avg_handle_time",
          "time_saved_hours",
          "manual"
         ]
        },
        "unit": {
         "type": "string"
        },
        "direction": {
         "type": "string",
         "enum": [
          "increase",
          "decrease"
         ]
        },
        "baseline": {
         "type": "object",
         "required": [
          "value",
          "period"
         ],
         "properties": {
          "value": {
           "type": "number"
          },
          "period": {
           "type": "string"
          }
         }
        },
        "target": {
         "type": "number"
        },
        "current": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "provenance": {
         "type": "string",
         "enum": [
          "measured",
          "self-reported",
          "none"
         ]
        },
        "progress": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "series": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "period",
           "value"
          ],
          "properties": {
           "period": {
            "type": "string"
           },
           "value": {
            "type": "number"
           }
          }
         }
        },
        "valuePerUnit": {
         "type": "object",
         "required": [
          "value",
          "assumption"
         ],
         "properties": {
          "value": {
           "type": "number"
          },
          "assumption": {
           "type": "boolean",
           "enum": [
            true
           ]
          }
         }
        },
        "note": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "Person": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Person"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "displayName",
       "roles"
      ],
      "properties": {
       "displayName": {
        "type": "string"
       },
       "email": {
        "type": "string"
       },
       "roles": {
        "type": "array",
        "items": {
         "type": "string",
         "enum": [
          "admin",
          "platform",
          "owner",
          "reviewer:risk",
          "reviewer:legal",
          "reviewer:security",
          "reviewer:data",
          "approver",
          "viewer"
         ]
        }
       },
       "businessUnit": {
        "type": "string"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Plan": {
    "type": "object",
    "required": [
     "generatedAt",
     "window",
     "thresholds",
     "initiatives",
     "quarters",
     "roadmap",
     "modelMix",
     "modelUsage",
     "assumptions"
    ],
    "properties": {
     "generatedAt": {
      "type": "string"
     },
     "window": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "thresholds": {
      "type": "object",
      "additionalProperties": {
       "type": "number"
      }
     },
     "initiatives": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "title",
        "stage",
        "riskTier",
        "owner",
        "recommendation",
        "reason",
        "attainment",
        "roi",
        "evidence",
        "blockers"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "title": {
         "type": "string"
        },
        "stage": {
         "type": "string"
        },
        "riskTier": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "owner": {
         "type": "string"
        },
        "recommendation": {
         "type": "string",
         "enum": [
          "scale",
          "fix-then-scale",
          "continue",
          "stop"
         ]
        },
        "reason": {
         "type": "string"
        },
        "attainment": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "roi": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "evidence": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "label",
           "value"
          ],
          "properties": {
           "label": {
            "type": "string"
           },
           "value": {
            "anyOf": [
             {
              "type": "string"
             },
             {
              "type": "number"
             }
            ]
           }
          }
         }
        },
        "blockers": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "gap",
           "detail",
           "action",
           "owner"
          ],
          "properties": {
           "gap": {
            "type": "string",
            "enum": [
             "unready-data",
             "untiered",
             "high-risk-owners",
             "review-waiting",
             "no-outcome-metric",
             "unmeasured-outcomes",
             "stalled",
             "thin-evidence",
             "open-incident",
             "roi-negative",
             "roi-unmeasured",
             "over-allocation",
             "compute-capacity",
             "non-standard-agent"
            ]
           },
           "detail": {
            "type": "string"
           },
           "action": {
            "type": "string"
           },
           "owner": {
            "type": "string"
           },
           "people": {
            "type": "array",
            "items": {
             "type": "string"
            }
           }
          }
         }
        }
       }
      }
     },
     "quarters": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "label",
        "from",
        "to",
        "days",
        "budget",
        "budgetProvenance"
       ],
       "properties": {
        "label": {
         "type": "string"
        },
        "from": {
         "type": "string"
        },
        "to": {
         "type": "string"
        },
        "days": {
         "type": "number"
        },
        "budget": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "budgetProvenance": {
         "type": "string",
         "enum": [
          "declared",
          "assumed",
          "none"
         ]
        }
       }
      }
     },
     "roadmap": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "action",
        "recommendation",
        "quarter",
        "status",
        "volume",
        "value",
        "cost",
        "netValueUsd",
        "compute",
        "spendPerQuarter",
        "shortfalls",
        "notes"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "action": {
         "type": "string",
         "enum": [
          "scale",
          "retire"
         ]
        },
        "recommendation": {
         "type": "string"
        },
        "quarter": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "status": {
         "type": "string",
         "enum": [
          "scheduled",
          "waits"
         ]
        },
        "volume": {
         "type": "object",
         "required": [
          "now",
          "atScale",
          "basis",
          "provenance",
          "detail"
         ],
         "properties": {
          "now": {
           "type": "number"
          },
          "atScale": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          },
          "basis": {
           "type": "string",
           "enum": [
            "forecast",
            "trend",
            "current",
            "none"
           ]
          },
          "provenance": {
           "type": "string",
           "enum": [
            "measured",
            "self-reported",
            "assumed"
           ]
          },
          "detail": {
           "type": "string"
          }
         }
        },
        "value": {
         "type": "object",
         "required": [
          "annualUsd",
          "provenance"
         ],
         "properties": {
          "annualUsd": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          },
          "provenance": {
           "type": "string",
           "enum": [
            "measured",
            "self-reported",
            "assumed"
           ]
          },
          "why": {
           "type": "string"
          }
         }
        },
        "cost": {
         "type": "object",
         "required": [
          "annualUsd",
          "provenance"
         ],
         "properties": {
          "annualUsd": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          },
          "provenance": {
           "type": "string",
           "enum": [
            "measured",
            "self-reported",
            "assumed"
           ]
          },
          "why": {
           "type": "string"
          }
         }
        },
        "netValueUsd": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "compute": {
         "type": "object",
         "required": [
          "status",
          "detail",
          "eligible"
         ],
         "properties": {
          "status": {
           "type": "string",
           "enum": [
            "none",
            "fits",
            "short",
            "unknown"
           ]
          },
          "detail": {
           "type": "string"
          },
          "pool": {
           "type": "string"
          },
          "unit": {
           "type": "string"
          },
          "extra": {
           "type": "number"
          },
          "eligible": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        },
        "spendPerQuarter": {
         "type": "object",
         "additionalProperties": {
          "type": "number"
         }
        },
        "shortfalls": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "kind",
           "what",
           "quarter",
           "needed",
           "available",
           "missing",
           "unit"
          ],
          "properties": {
           "kind": {
            "type": "string",
            "enum": [
             "budget",
             "compute"
            ]
           },
           "what": {
            "type": "string"
           },
           "quarter": {
            "type": "string"
           },
           "needed": {
            "type": "number"
           },
           "available": {
            "type": "number"
           },
           "missing": {
            "type": "number"
           },
           "unit": {
            "type": "string"
           }
          }
         }
        },
        "notes": {
         "type": "array",
         "items": {
          "type": "string"
         }
        }
       }
      }
     },
     "modelMix": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "archetype",
        "from",
        "to",
        "verdict",
        "annualSavingUsd",
        "estimatedAnnualSavingUsd",
        "confidence",
        "difference",
        "reason",
        "moreTasksNeeded"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "archetype": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "from": {
         "type": "string"
        },
        "to": {
         "type": "string"
        },
        "verdict": {
         "type": "string",
         "enum": [
          "switch",
          "keep",
          "undecided"
         ]
        },
        "annualSavingUsd": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "estimatedAnnualSavingUsd": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "confidence": {
         "anyOf": [
          {
           "type": "number"
          },
          {
           "type": "null"
          }
         ]
        },
        "difference": {
         "anyOf": [
          {
           "type": "object",
           "required": [
            "observed",
            "lowerBound"
           ],
           "properties": {
            "observed": {
             "type": "number"
            },
            "lowerBound": {
             "type": "number"
            }
           }
          },
          {
           "type": "null"
          }
         ]
        },
        "reason": {
         "type": "string"
        },
        "moreTasksNeeded": {
         "anyOf": [
          {
           "type": "object",
           "required": [
            "from",
            "to"
           ],
           "properties": {
            "from": {
             "type": "number"
            },
            "to": {
             "type": "number"
            }
           }
          },
          {
           "type": "null"
          }
         ]
        }
       }
      }
     },
     "modelUsage": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "archetype",
        "agents",
        "models",
        "unattributed",
        "eventTasks",
        "classification"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "archetype": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "agents": {
         "type": "array",
         "items": {
          "type": "string"
         }
        },
        "models": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "model",
           "capabilityClass",
           "status",
           "hosting",
           "tasks",
           "resolved",
           "successRate",
           "calls",
           "unpricedCalls",
           "costUsd",
           "costPerTaskUsd",
           "costPerSuccessfulTaskUsd",
           "inputTokens",
           "outputTokens"
          ],
          "properties": {
           "model": {
            "type": "string"
           },
           "capabilityClass": {
            "type": "string"
           },
           "status": {
            "type": "string"
           },
           "hosting": {
            "anyOf": [
             {
              "type": "string"
             },
             {
              "type": "null"
             }
            ]
           },
           "tasks": {
            "type": "number"
           },
           "resolved": {
            "type": "number"
           },
           "successRate": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "calls": {
            "type": "number"
           },
           "unpricedCalls": {
            "type": "number"
           },
           "costUsd": {
            "type": "number"
           },
           "costPerTaskUsd": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "costPerSuccessfulTaskUsd": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "inputTokens": {
            "type": "number"
           },
           "outputTokens": {
            "type": "number"
           }
          }
         }
        },
        "unattributed": {
         "type": "object",
         "required": [
          "mixedModels",
          "noModelCall"
         ],
         "properties": {
          "mixedModels": {
           "type": "number"
          },
          "noModelCall": {
           "type": "number"
          }
         }
        },
        "eventTasks": {
         "type": "number"
        },
        "classification": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        }
       }
      }
     },
     "assumptions": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "Policy": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Policy"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "cedar",
       "mode"
      ],
      "properties": {
       "cedar": {
        "type": "string"
       },
       "mode": {
        "type": "string",
        "enum": [
         "enforce",
         "monitor"
        ]
       },
       "description": {
        "type": "string"
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Portfolio": {
    "type": "object",
    "required": [
     "initiatives",
     "counts"
    ],
    "properties": {
     "initiatives": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "title",
        "type",
        "stage",
        "stageSince",
        "stageGroup",
        "active",
        "owner",
        "businessUnit",
        "outcomes",
        "tier"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "title": {
         "type": "string"
        },
        "type": {
         "type": "string",
         "enum": [
          "chatbot",
          "copilot",
          "agent"
         ]
        },
        "stage": {
         "type": "string",
         "enum": [
          "proposed",
          "pilot",
          "production",
          "scaled",
          "retired"
         ]
        },
        "stageSince": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "stageGroup": {
         "type": "string",
         "enum": [
          "planned",
          "active",
          "retired"
         ]
        },
        "active": {
         "type": "boolean"
        },
        "owner": {
         "type": "string"
        },
        "businessUnit": {
         "type": "string"
        },
        "outcomes": {
         "type": "integer"
        },
        "tier": {
         "type": "object",
         "required": [
          "tier",
          "source",
          "assessedAt",
          "declared"
         ],
         "properties": {
          "tier": {
           "anyOf": [
            {
             "type": "string",
             "enum": [
              "minimal",
              "low",
              "medium",
              "high",
              "prohibited"
             ]
            },
            {
             "type": "null"
            }
           ]
          },
          "source": {
           "type": "string",
           "enum": [
            "assessment",
            "declared",
            "none"
           ]
          },
          "assessedAt": {
           "anyOf": [
            {
             "type": "string"
            },
            {
             "type": "null"
            }
           ]
          },
          "declared": {
           "anyOf": [
            {
             "type": "string",
             "enum": [
              "minimal",
              "low",
              "medium",
              "high",
              "prohibited"
             ]
            },
            {
             "type": "null"
            }
           ]
          }
         }
        }
       }
      }
     },
     "counts": {
      "type": "object",
      "required": [
       "total",
       "byStage",
       "byStageGroup",
       "byTier"
      ],
      "properties": {
       "total": {
        "type": "integer"
       },
       "byStage": {
        "type": "object",
        "required": [
         "proposed",
         "pilot",
         "production",
         "scaled",
         "retired"
        ],
        "properties": {
         "proposed": {
          "type": "integer"
         },
         "pilot": {
          "type": "integer"
         },
         "production": {
          "type": "integer"
         },
         "scaled": {
          "type": "integer"
         },
         "retired": {
          "type": "integer"
         }
        }
       },
       "byStageGroup": {
        "type": "object",
        "required": [
         "planned",
         "active",
         "retired"
        ],
        "properties": {
         "planned": {
          "type": "integer"
         },
         "active": {
          "type": "integer"
         },
         "retired": {
          "type": "integer"
         }
        }
       },
       "byTier": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "tier",
          "total",
          "byStage"
         ],
         "properties": {
          "tier": {
           "type": "string",
           "enum": [
            "minimal",
            "low",
            "medium",
            "high",
            "prohibited",
            "untiered"
           ]
          },
          "total": {
           "type": "integer"
          },
          "byStage": {
           "type": "object",
           "required": [
            "proposed",
            "pilot",
            "production",
            "scaled",
            "retired"
           ],
           "properties": {
            "proposed": {
             "type": "integer"
            },
            "pilot": {
             "type": "integer"
            },
            "production": {
             "type": "integer"
            },
            "scaled": {
             "type": "integer"
            },
            "retired": {
             "type": "integer"
            }
           }
          }
         }
        }
       }
      }
     }
    }
   },
   "ProtectedResourceMetadata": {
    "type": "object",
    "required": [
     "resource",
     "authorization_servers",
     "bearer_methods_supported",
     "resource_name",
     "resource_documentation"
    ],
    "properties": {
     "resource": {
      "type": "string"
     },
     "authorization_servers": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "bearer_methods_supported": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "resource_name": {
      "type": "string"
     },
     "resource_documentation": {
      "type": "string"
     }
    }
   },
   "Reason": {
    "type": "object",
    "required": [
     "policy",
     "effect"
    ],
    "properties": {
     "policy": {
      "type": "string"
     },
     "effect": {
      "type": "string",
      "enum": [
       "permit",
       "forbid",
       "approval"
      ]
     },
     "message": {
      "type": "string"
     }
    }
   },
   "RegistryChange": {
    "type": "object",
    "required": [
     "id",
     "revision",
     "kind",
     "name",
     "action",
     "actor",
     "at"
    ],
    "properties": {
     "id": {
      "type": "integer"
     },
     "revision": {
      "type": "integer"
     },
     "kind": {
      "type": "string"
     },
     "name": {
      "type": "string"
     },
     "action": {
      "type": "string",
      "enum": [
       "created",
       "updated",
       "deleted"
      ]
     },
     "actor": {
      "type": "string"
     },
     "at": {
      "type": "string"
     }
    }
   },
   "Report": {
    "type": "object",
    "required": [
     "title",
     "generatedAt",
     "window",
     "diagnostic",
     "initiatives",
     "budgets",
     "incidents",
     "risks",
     "signals",
     "shadowAgents"
    ],
    "properties": {
     "title": {
      "type": "string"
     },
     "generatedAt": {
      "type": "string"
     },
     "window": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "diagnostic": {
      "$ref": "#/components/schemas/Diagnostic"
     },
     "initiatives": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "title",
        "stage",
        "riskTier",
        "owner",
        "businessUnit",
        "metrics",
        "roi"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "title": {
         "type": "string"
        },
        "stage": {
         "type": "string"
        },
        "riskTier": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "owner": {
         "type": "string"
        },
        "businessUnit": {
         "type": "string"
        },
        "metrics": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "name",
           "unit",
           "direction",
           "baseline",
           "target",
           "current",
           "progress",
           "provenance"
          ],
          "properties": {
           "name": {
            "type": "string"
           },
           "unit": {
            "type": "string"
           },
           "direction": {
            "type": "string",
            "enum": [
             "increase",
             "decrease"
            ]
           },
           "baseline": {
            "type": "number"
           },
           "target": {
            "type": "number"
           },
           "current": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "progress": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "provenance": {
            "type": "string",
            "enum": [
             "measured",
             "self-reported",
             "none"
            ]
           }
          }
         }
        },
        "roi": {
         "type": "object",
         "required": [
          "value",
          "valueProvenance",
          "cost",
          "costIncomplete",
          "roi",
          "provenance"
         ],
         "properties": {
          "value": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          },
          "valueProvenance": {
           "type": "string"
          },
          "cost": {
           "type": "number"
          },
          "costIncomplete": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "roi": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          },
          "provenance": {
           "type": "string",
           "enum": [
            "measured",
            "self-reported",
            "assumed"
           ]
          }
         }
        }
       }
      }
     },
     "budgets": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "name",
        "currency",
        "period",
        "categories",
        "total",
        "withoutOutcomes",
        "stalledPilots",
        "unpricedModelCalls"
       ],
       "properties": {
        "name": {
         "type": "string"
        },
        "currency": {
         "type": "string"
        },
        "period": {
         "type": "object",
         "required": [
          "from",
          "to"
         ],
         "properties": {
          "from": {
           "type": "string"
          },
          "to": {
           "type": "string"
          }
         }
        },
        "categories": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "category",
           "allocated",
           "proRated",
           "actual",
           "deviation",
           "offPlan"
          ],
          "properties": {
           "category": {
            "type": "string",
            "enum": [
             "model-licences",
             "infrastructure-compute",
             "data-integration",
             "security-governance",
             "agents-platforms",
             "change-training"
            ]
           },
           "allocated": {
            "type": "number"
           },
           "proRated": {
            "type": "number"
           },
           "actual": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "deviation": {
            "anyOf": [
             {
              "type": "number"
             },
             {
              "type": "null"
             }
            ]
           },
           "offPlan": {
            "type": "boolean"
           }
          }
         }
        },
        "total": {
         "type": "object",
         "required": [
          "allocated",
          "proRated",
          "actual"
         ],
         "properties": {
          "allocated": {
           "type": "number"
          },
          "proRated": {
           "type": "number"
          },
          "actual": {
           "anyOf": [
            {
             "type": "number"
            },
            {
             "type": "null"
            }
           ]
          }
         }
        },
        "withoutOutcomes": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "initiative",
           "amount"
          ],
          "properties": {
           "initiative": {
            "type": "string"
           },
           "amount": {
            "type": "number"
           }
          }
         }
        },
        "stalledPilots": {
         "type": "array",
         "items": {
          "type": "object",
          "required": [
           "initiative",
           "since",
           "amount"
          ],
          "properties": {
           "initiative": {
            "type": "string"
           },
           "since": {
            "type": "string"
           },
           "amount": {
            "type": "number"
           }
          }
         }
        },
        "telemetryNotIncludedUsd": {
         "type": "number"
        },
        "unpricedModelCalls": {
         "type": "integer"
        }
       }
      }
     },
     "incidents": {
      "type": "object",
      "required": [
       "open",
       "openCount",
       "recent",
       "recentCount",
       "pressing",
       "pressingCount",
       "recentBySeverity",
       "recentByStatus",
       "listed",
       "overdue"
      ],
      "properties": {
       "open": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/Incident"
        }
       },
       "openCount": {
        "type": "integer"
       },
       "recent": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/Incident"
        }
       },
       "recentCount": {
        "type": "integer"
       },
       "pressing": {
        "type": "array",
        "items": {
         "$ref": "#/components/schemas/Incident"
        }
       },
       "pressingCount": {
        "type": "integer"
       },
       "recentBySeverity": {
        "type": "object",
        "required": [
         "sev1",
         "sev2",
         "sev3",
         "sev4"
        ],
        "properties": {
         "sev1": {
          "type": "integer"
         },
         "sev2": {
          "type": "integer"
         },
         "sev3": {
          "type": "integer"
         },
         "sev4": {
          "type": "integer"
         }
        }
       },
       "recentByStatus": {
        "type": "object",
        "required": [
         "open",
         "mitigated",
         "resolved",
         "closed"
        ],
        "properties": {
         "open": {
          "type": "integer"
         },
         "mitigated": {
          "type": "integer"
         },
         "resolved": {
          "type": "integer"
         },
         "closed": {
          "type": "integer"
         }
        }
       },
       "listed": {
        "type": "integer"
       },
       "overdue": {
        "type": "integer"
       }
      }
     },
     "risks": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "tier",
        "stage",
        "oversightOwner",
        "incidentOwner"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "tier": {
         "type": "string"
        },
        "stage": {
         "type": "string"
        },
        "oversightOwner": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "incidentOwner": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        }
       }
      }
     },
     "signals": {
      "$ref": "#/components/schemas/Signals"
     },
     "shadowAgents": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "plan": {
      "type": "array",
      "items": {
       "type": "string"
      }
     }
    }
   },
   "RetentionPolicy": {
    "type": "object",
    "required": [
     "periods",
     "highRiskFloorDays"
    ],
    "properties": {
     "periods": {
      "type": "object",
      "required": [
       "auditEntries",
       "decisions",
       "events",
       "spans",
       "arguments",
       "shadowAgents"
      ],
      "properties": {
       "auditEntries": {
        "type": "integer"
       },
       "decisions": {
        "type": "integer"
       },
       "events": {
        "type": "integer"
       },
       "spans": {
        "type": "integer"
       },
       "arguments": {
        "type": "integer"
       },
       "shadowAgents": {
        "type": "integer"
       }
      }
     },
     "highRiskFloorDays": {
      "type": "integer"
     }
    }
   },
   "RetentionPurge": {
    "type": "object",
    "required": [
     "auditEntries",
     "decisions",
     "events",
     "spans",
     "arguments",
     "shadowAgents",
     "held"
    ],
    "properties": {
     "auditEntries": {
      "type": "integer"
     },
     "decisions": {
      "type": "integer"
     },
     "events": {
      "type": "integer"
     },
     "spans": {
      "type": "integer"
     },
     "arguments": {
      "type": "integer"
     },
     "shadowAgents": {
      "type": "integer"
     },
     "held": {
      "type": "object",
      "required": [
       "highRisk",
       "highRiskCount",
       "incident",
       "incidentCount"
      ],
      "properties": {
       "highRisk": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "highRiskCount": {
        "type": "integer"
       },
       "incident": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "incidentCount": {
        "type": "integer"
       }
      }
     },
     "dryRun": {
      "type": "boolean",
      "enum": [
       true
      ]
     },
     "auditHeldBack": {
      "type": "string"
     }
    }
   },
   "Review": {
    "type": "object",
    "required": [
     "id",
     "initiative",
     "from",
     "to",
     "tier",
     "status",
     "required",
     "pending",
     "signOffs",
     "openedBy",
     "openedAt",
     "closedAt"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "initiative": {
      "type": "string"
     },
     "from": {
      "type": "string",
      "enum": [
       "proposed",
       "pilot",
       "production",
       "scaled",
       "retired"
      ]
     },
     "to": {
      "type": "string",
      "enum": [
       "proposed",
       "pilot",
       "production",
       "scaled",
       "retired"
      ]
     },
     "tier": {
      "type": "string"
     },
     "status": {
      "type": "string",
      "enum": [
       "open",
       "approved",
       "rejected"
      ]
     },
     "required": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "pending": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "signOffs": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "role",
        "person",
        "decision",
        "comment",
        "at"
       ],
       "properties": {
        "role": {
         "type": "string"
        },
        "person": {
         "type": "string"
        },
        "decision": {
         "type": "string",
         "enum": [
          "approve",
          "reject"
         ]
        },
        "comment": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "at": {
         "type": "string"
        }
       }
      }
     },
     "openedBy": {
      "type": "string"
     },
     "openedAt": {
      "type": "string"
     },
     "closedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     }
    }
   },
   "RiskAssessment": {
    "type": "object",
    "required": [
     "initiative",
     "version",
     "tier",
     "reasons",
     "answers",
     "notes",
     "assessedBy",
     "assessedAt"
    ],
    "properties": {
     "initiative": {
      "type": "string"
     },
     "version": {
      "type": "integer"
     },
     "tier": {
      "type": "string",
      "enum": [
       "prohibited",
       "high",
       "medium",
       "low",
       "minimal"
      ]
     },
     "reasons": {
      "type": "array",
      "items": {
       "type": "string"
      }
     },
     "answers": {
      "type": "object",
      "required": [
       "employment",
       "creditOrEssentialServices",
       "education",
       "lawEnforcement",
       "migration",
       "justice",
       "criticalInfrastructure",
       "biometricIdentification",
       "interactsWithPublic",
       "generatesContent",
       "actsAutonomouslyOnMoneyOrSystems",
       "usesPersonalOrRestrictedData",
       "prohibitedPractices"
      ],
      "properties": {
       "employment": {
        "type": "boolean"
       },
       "creditOrEssentialServices": {
        "type": "boolean"
       },
       "education": {
        "type": "boolean"
       },
       "lawEnforcement": {
        "type": "boolean"
       },
       "migration": {
        "type": "boolean"
       },
       "justice": {
        "type": "boolean"
       },
       "criticalInfrastructure": {
        "type": "boolean"
       },
       "biometricIdentification": {
        "type": "boolean"
       },
       "interactsWithPublic": {
        "type": "boolean"
       },
       "generatesContent": {
        "type": "boolean"
       },
       "actsAutonomouslyOnMoneyOrSystems": {
        "type": "boolean"
       },
       "usesPersonalOrRestrictedData": {
        "type": "boolean"
       },
       "prohibitedPractices": {
        "type": "array",
        "items": {
         "type": "string",
         "enum": [
          "subliminal-manipulation",
          "exploiting-vulnerabilities",
          "social-scoring",
          "predictive-policing",
          "face-scraping",
          "emotion-recognition-work-education",
          "biometric-categorisation-sensitive",
          "realtime-remote-biometric-id"
         ]
        }
       }
      }
     },
     "notes": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "assessedBy": {
      "type": "string"
     },
     "assessedAt": {
      "type": "string"
     },
     "warning": {
      "type": "string"
     }
    }
   },
   "RiskQuestionnaire": {
    "type": "object",
    "required": [
     "questions",
     "prohibitedPractices"
    ],
    "properties": {
     "questions": {
      "type": "object",
      "required": [
       "employment",
       "creditOrEssentialServices",
       "education",
       "lawEnforcement",
       "migration",
       "justice",
       "criticalInfrastructure",
       "biometricIdentification",
       "interactsWithPublic",
       "generatesContent",
       "actsAutonomouslyOnMoneyOrSystems",
       "usesPersonalOrRestrictedData"
      ],
      "properties": {
       "employment": {
        "type": "string"
       },
       "creditOrEssentialServices": {
        "type": "string"
       },
       "education": {
        "type": "string"
       },
       "lawEnforcement": {
        "type": "string"
       },
       "migration": {
        "type": "string"
       },
       "justice": {
        "type": "string"
       },
       "criticalInfrastructure": {
        "type": "string"
       },
       "biometricIdentification": {
        "type": "string"
       },
       "interactsWithPublic": {
        "type": "string"
       },
       "generatesContent": {
        "type": "string"
       },
       "actsAutonomouslyOnMoneyOrSystems": {
        "type": "string"
       },
       "usesPersonalOrRestrictedData": {
        "type": "string"
       }
      }
     },
     "prohibitedPractices": {
      "type": "object",
      "required": [
       "subliminal-manipulation",
       "exploiting-vulnerabilities",
       "social-scoring",
       "predictive-policing",
       "face-scraping",
       "emotion-recognition-work-education",
       "biometric-categorisation-sensitive",
       "realtime-remote-biometric-id"
      ],
      "properties": {
       "subliminal-manipulation": {
        "type": "string"
       },
       "exploiting-vulnerabilities": {
        "type": "string"
       },
       "social-scoring": {
        "type": "string"
       },
       "predictive-policing": {
        "type": "string"
       },
       "face-scraping": {
        "type": "string"
       },
       "emotion-recognition-work-education": {
        "type": "string"
       },
       "biometric-categorisation-sensitive": {
        "type": "string"
       },
       "realtime-remote-biometric-id": {
        "type": "string"
       }
      }
     }
    }
   },
   "Roi": {
    "type": "object",
    "required": [
     "initiative",
     "window",
     "value",
     "cost",
     "roi",
     "provenance"
    ],
    "properties": {
     "initiative": {
      "type": "string"
     },
     "window": {
      "type": "object",
      "required": [
       "from",
       "to"
      ],
      "properties": {
       "from": {
        "type": "string"
       },
       "to": {
        "type": "string"
       }
      }
     },
     "value": {
      "type": "object",
      "required": [
       "total",
       "provenance",
       "items",
       "notValued"
      ],
      "properties": {
       "total": {
        "type": "number"
       },
       "provenance": {
        "type": "string",
        "enum": [
         "measured",
         "self-reported",
         "assumed"
        ]
       },
       "items": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "metric",
          "unit",
          "improvement",
          "improvementProvenance",
          "valuePerUnit",
          "value"
         ],
         "properties": {
          "metric": {
           "type": "string"
          },
          "unit": {
           "type": "string"
          },
          "improvement": {
           "type": "number"
          },
          "improvementProvenance": {
           "type": "string"
          },
          "valuePerUnit": {
           "type": "number"
          },
          "value": {
           "type": "number"
          }
         }
        }
       },
       "notValued": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "metric",
          "why"
         ],
         "properties": {
          "metric": {
           "type": "string"
          },
          "why": {
           "type": "string"
          }
         }
        }
       }
      }
     },
     "cost": {
      "type": "object",
      "required": [
       "total",
       "items",
       "incomplete"
      ],
      "properties": {
       "total": {
        "type": "number"
       },
       "items": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "source",
          "amountUsd",
          "provenance"
         ],
         "properties": {
          "source": {
           "type": "string"
          },
          "amountUsd": {
           "type": "number"
          },
          "provenance": {
           "type": "string",
           "enum": [
            "measured",
            "self-reported",
            "assumed"
           ]
          }
         }
        }
       },
       "incomplete": {
        "type": "array",
        "items": {
         "type": "string"
        }
       }
      }
     },
     "roi": {
      "anyOf": [
       {
        "type": "number"
       },
       {
        "type": "null"
       }
      ]
     },
     "provenance": {
      "type": "string",
      "enum": [
       "measured",
       "self-reported",
       "assumed"
      ]
     }
    }
   },
   "SessionInfo": {
    "type": "object",
    "required": [
     "id",
     "kind",
     "createdAt",
     "expiresAt",
     "current"
    ],
    "properties": {
     "id": {
      "type": "string"
     },
     "kind": {
      "type": "string",
      "enum": [
       "browser",
       "cli"
      ]
     },
     "createdAt": {
      "type": "string"
     },
     "expiresAt": {
      "type": "string"
     },
     "current": {
      "type": "boolean"
     }
    }
   },
   "SessionList": {
    "type": "object",
    "required": [
     "items",
     "more"
    ],
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/SessionInfo"
      }
     },
     "more": {
      "type": "boolean"
     }
    }
   },
   "ShadowAgent": {
    "type": "object",
    "required": [
     "identity",
     "source",
     "detail",
     "firstSeen",
     "lastSeen",
     "count"
    ],
    "properties": {
     "identity": {
      "type": "string"
     },
     "source": {
      "type": "string",
      "enum": [
       "unknown-key",
       "revoked-key",
       "mcp",
       "telemetry"
      ]
     },
     "detail": {
      "type": "string"
     },
     "firstSeen": {
      "type": "string"
     },
     "lastSeen": {
      "type": "string"
     },
     "count": {
      "type": "integer"
     }
    }
   },
   "Signals": {
    "type": "object",
    "required": [
     "stalledPilots",
     "agentSprawl",
     "notReady",
     "attributionMismatches",
     "unpricedModelCalls",
     "unpricedModelCallsTotal"
    ],
    "properties": {
     "stalledPilots": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "initiative",
        "since",
        "days"
       ],
       "properties": {
        "initiative": {
         "type": "string"
        },
        "since": {
         "type": "string"
        },
        "days": {
         "type": "integer"
        }
       }
      }
     },
     "agentSprawl": {
      "type": "object",
      "required": [
       "perArchetype",
       "adHoc",
       "nearDuplicates",
       "nearDuplicatePairs"
      ],
      "properties": {
       "perArchetype": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "archetype",
          "agents"
         ],
         "properties": {
          "archetype": {
           "type": "string"
          },
          "agents": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        }
       },
       "adHoc": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "nearDuplicates": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "agents",
          "sharedTools",
          "similarity"
         ],
         "properties": {
          "agents": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "sharedTools": {
           "type": "array",
           "items": {
            "type": "string"
           }
          },
          "similarity": {
           "type": "number"
          }
         }
        }
       },
       "nearDuplicatePairs": {
        "type": "integer"
       }
      }
     },
     "notReady": {
      "type": "object",
      "required": [
       "onUnreadyData",
       "withoutMeasuredOutcomes"
      ],
      "properties": {
       "onUnreadyData": {
        "type": "array",
        "items": {
         "type": "object",
         "required": [
          "initiative",
          "dataDomains"
         ],
         "properties": {
          "initiative": {
           "type": "string"
          },
          "dataDomains": {
           "type": "array",
           "items": {
            "type": "string"
           }
          }
         }
        }
       },
       "withoutMeasuredOutcomes": {
        "type": "array",
        "items": {
         "type": "string"
        }
       }
      }
     },
     "attributionMismatches": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "sentBy",
        "claimedAgent",
        "bookedTo",
        "spans",
        "events",
        "costUsd",
        "lastDay"
       ],
       "properties": {
        "sentBy": {
         "type": "string"
        },
        "claimedAgent": {
         "type": "string"
        },
        "bookedTo": {
         "anyOf": [
          {
           "type": "string"
          },
          {
           "type": "null"
          }
         ]
        },
        "spans": {
         "type": "integer"
        },
        "events": {
         "type": "integer"
        },
        "costUsd": {
         "type": "number"
        },
        "lastDay": {
         "type": "string"
        }
       }
      }
     },
     "unpricedModelCalls": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "agent",
        "model",
        "calls",
        "reasons",
        "lastDay"
       ],
       "properties": {
        "agent": {
         "type": "string"
        },
        "model": {
         "type": "string"
        },
        "calls": {
         "type": "integer"
        },
        "reasons": {
         "type": "object",
         "required": [
          "unknownModel",
          "noPrice",
          "noUsage",
          "serviceTier"
         ],
         "properties": {
          "unknownModel": {
           "type": "integer"
          },
          "noPrice": {
           "type": "integer"
          },
          "noUsage": {
           "type": "integer"
          },
          "serviceTier": {
           "type": "integer"
          }
         }
        },
        "lastDay": {
         "type": "string"
        }
       }
      }
     },
     "unpricedModelCallsTotal": {
      "type": "integer"
     }
    }
   },
   "SignedCheckpoint": {
    "type": "object",
    "required": [
     "payload",
     "signature"
    ],
    "properties": {
     "payload": {
      "type": "string"
     },
     "signature": {
      "type": "string"
     }
    }
   },
   "Simulation": {
    "type": "object",
    "required": [
     "decision",
     "reasons",
     "monitor",
     "policyVersion"
    ],
    "properties": {
     "decision": {
      "type": "string",
      "enum": [
       "allow",
       "deny",
       "approval_required"
      ]
     },
     "reasons": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "monitor": {
      "type": "array",
      "items": {
       "$ref": "#/components/schemas/Reason"
      }
     },
     "policyVersion": {
      "type": "integer"
     }
    }
   },
   "SpendImport": {
    "type": "object",
    "required": [
     "budget",
     "importId",
     "imported",
     "total"
    ],
    "properties": {
     "budget": {
      "type": "string"
     },
     "importId": {
      "type": "string"
     },
     "imported": {
      "type": "integer"
     },
     "total": {
      "type": "number"
     },
     "alreadyImported": {
      "type": "boolean",
      "enum": [
       true
      ]
     }
    }
   },
   "SpendImports": {
    "type": "object",
    "required": [
     "items"
    ],
    "properties": {
     "items": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "budget",
        "importId",
        "imported",
        "total",
        "importedBy",
        "importedAt"
       ],
       "properties": {
        "budget": {
         "type": "string"
        },
        "importId": {
         "type": "string"
        },
        "imported": {
         "type": "integer"
        },
        "total": {
         "type": "number"
        },
        "importedBy": {
         "type": "string"
        },
        "importedAt": {
         "type": "string"
        }
       }
      }
     }
    }
   },
   "SpendLimit": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "SpendLimit"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "scope",
       "period",
       "amountUsd",
       "enforce"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "scope": {
        "type": "object",
        "properties": {
         "agent": {
          "type": "string"
         },
         "initiative": {
          "type": "string"
         },
         "businessUnit": {
          "type": "string"
         }
        }
       },
       "period": {
        "type": "string",
        "enum": [
         "day",
         "week",
         "month"
        ]
       },
       "amountUsd": {
        "type": "number"
       },
       "enforce": {
        "type": "string",
        "enum": [
         "block",
         "alert"
        ]
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "SpendLimitStatus": {
    "type": "object",
    "required": [
     "name",
     "scope",
     "period",
     "enforce",
     "periodStart",
     "periodEnd",
     "limitUsd",
     "spentUsd",
     "reservedUsd",
     "remainingUsd",
     "calls",
     "alertedAt",
     "burnDown"
    ],
    "properties": {
     "name": {
      "type": "string"
     },
     "scope": {
      "type": "object",
      "additionalProperties": {
       "type": "string"
      }
     },
     "period": {
      "type": "string",
      "enum": [
       "day",
       "week",
       "month"
      ]
     },
     "enforce": {
      "type": "string",
      "enum": [
       "block",
       "alert"
      ]
     },
     "periodStart": {
      "type": "string"
     },
     "periodEnd": {
      "type": "string"
     },
     "limitUsd": {
      "type": "number"
     },
     "spentUsd": {
      "type": "number"
     },
     "reservedUsd": {
      "type": "number"
     },
     "remainingUsd": {
      "type": "number"
     },
     "calls": {
      "type": "integer"
     },
     "alertedAt": {
      "anyOf": [
       {
        "type": "string"
       },
       {
        "type": "null"
       }
      ]
     },
     "burnDown": {
      "type": "array",
      "items": {
       "type": "object",
       "required": [
        "hour",
        "spentUsd",
        "remainingUsd"
       ],
       "properties": {
        "hour": {
         "type": "string"
        },
        "spentUsd": {
         "type": "number"
        },
        "remainingUsd": {
         "type": "number"
        }
       }
      }
     }
    }
   },
   "TelemetryCollector": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "TelemetryCollector"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "owner",
       "agents"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "owner": {
        "type": "string"
       },
       "agents": {
        "type": "array",
        "items": {
         "type": "string"
        }
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Tool": {
    "type": "object",
    "required": [
     "apiVersion",
     "kind",
     "metadata",
     "spec"
    ],
    "properties": {
     "apiVersion": {
      "type": "string",
      "enum": [
       "fulcrum/v1"
      ]
     },
     "kind": {
      "type": "string",
      "enum": [
       "Tool"
      ]
     },
     "metadata": {
      "type": "object",
      "required": [
       "name",
       "generation",
       "createdAt",
       "updatedAt"
      ],
      "properties": {
       "name": {
        "type": "string"
       },
       "labels": {
        "type": "object",
        "additionalProperties": {
         "type": "string"
        }
       },
       "generation": {
        "type": "integer"
       },
       "createdAt": {
        "type": "string"
       },
       "updatedAt": {
        "type": "string"
       }
      }
     },
     "spec": {
      "type": "object",
      "required": [
       "system",
       "effect",
       "dataDomains",
       "arguments"
      ],
      "properties": {
       "description": {
        "type": "string"
       },
       "system": {
        "type": "string"
       },
       "effect": {
        "type": "string",
        "enum": [
         "read",
         "write",
         "financial",
         "destructive"
        ]
       },
       "dataDomains": {
        "type": "array",
        "items": {
         "type": "string"
        }
       },
       "arguments": {
        "type": "object",
        "additionalProperties": {}
       }
      }
     },
     "status": {
      "type": "object",
      "additionalProperties": {}
     }
    }
   },
   "Whoami": {
    "type": "object",
    "required": [
     "type",
     "id",
     "permissions"
    ],
    "properties": {
     "type": {
      "type": "string",
      "enum": [
       "admin",
       "person",
       "agent",
       "collector",
       "system"
      ]
     },
     "id": {
      "type": "string"
     },
     "roles": {
      "type": "array",
      "items": {
       "type": "string",
       "enum": [
        "admin",
        "platform",
        "owner",
        "reviewer:risk",
        "reviewer:legal",
        "reviewer:security",
        "reviewer:data",
        "approver",
        "viewer"
       ]
      }
     },
     "permissions": {
      "type": "array",
      "items": {
       "type": "string",
       "enum": [
        "registry.read",
        "registry.write",
        "approvals.decide",
        "incidents.write",
        "incidents.close",
        "risk.assess",
        "sessions.manage"
       ]
      }
     }
    }
   }
  }
 }
};
