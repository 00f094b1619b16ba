// Types of client-codegen.mjs, for the drift test.
export declare const SCHEMA_FILE: string;
export declare function clientTypes(document: unknown): Promise<string>;
