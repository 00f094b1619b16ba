// docs/governance-as-code.md: "Duplicate keys are an error." Keys that are different YAML scalars
// but the same JSON key (1 and "1", true and "true", ~ and "") were not reported: the later one
// silently replaced the earlier, so a reviewer reading the file could read the value that is dropped.
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../../src/registry/descriptors.js';

const tool = (properties: string) => `apiVersion: fulcrum/v1
kind: Tool
metadata: { name: t }
spec:
  system: s
  effect: read
  arguments:
    type: object
    properties:
${properties}
`;

const problemsOf = (properties: string) =>
  parseFiles([{ path: 'a.yaml', content: tool(properties) }]).problems.map((p) => p.message);

describe('duplicate keys', () => {
  it('are reported when both are strings', () => {
    expect(problemsOf('      "1": { type: integer }\n      "1": { type: string }')).toEqual([expect.stringMatching(/unique/i)]);
  });

  it.each([
    ['a number and a string', '      1: { type: integer }\n      "1": { type: string }'],
    ['a boolean and a string', '      true: { type: integer }\n      "true": { type: string }'],
    ['null and the empty string', '      ~: { type: integer }\n      "": { type: string }'],
    ['1.0 and 1', '      1.0: { type: integer }\n      1: { type: string }'],
  ])('are reported when they are %s that are one JSON key', (_, properties) => {
    expect(problemsOf(properties)).toEqual([expect.stringMatching(/unique/i)]);
  });

  it('keys that are different JSON keys are not', () => {
    expect(
      problemsOf(
        '      1: { type: integer }\n      "01": { type: string }\n      "True": { type: string }\n      "null": { type: string }',
      ),
    ).toEqual([]);
  });
});
