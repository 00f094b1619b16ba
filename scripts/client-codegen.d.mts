// Types of client-codegen.mjs, for the drift test.
export declare const SCHEMA_FILE: string;
export declare function clientTypes(document: unknown): Promise<string>;
export declare const ANSWERS_FILE: string;
/** The TypeScript text of src/client/answers.ts (the success answers' shapes) for an OpenAPI document. */
export declare function answerSchemas(document: unknown): string;
