import type { ValidationProblem } from "../connection-types/json-schema";
import { isPlainObject } from "../wire";
import type { Caller } from "./admin-state";
import type { SourceCatalog } from "./catalog";
import type { ExecutionRunner } from "./execution-runner";
import type { EmulatorState } from "./state";

/** An error answered as Polytomic's `ApiError` body `{key, message, status, metadata?}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    message: string,
    readonly metadata?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "ApiError";
  }

  toBody(): Record<string, unknown> {
    const body: Record<string, unknown> = { key: this.key, message: this.message, status: this.status };
    if (this.metadata !== undefined) body.metadata = this.metadata;
    return body;
  }
}

/** 404 naming what was looked for, e.g. `connection 3f0c… not found`. */
export function notFound(what: string, id: string): ApiError {
  return new ApiError(404, "not_found", `${what} ${id} not found`);
}

/** The stored object with that id, or {@link notFound}. */
export function findOr404<T>(items: ReadonlyMap<string, T>, what: string, id: string): T {
  const item = items.get(id);
  if (item === undefined) throw notFound(what, id);
  return item;
}

/** 400 with Polytomic's generic key `bad_request`. */
export function badRequest(message: string, metadata?: Record<string, unknown>): ApiError {
  return new ApiError(400, "bad_request", message, metadata);
}

/** A path-pointing validation failure: every problem in the message and in `metadata.errors`. */
export function validationError(
  status: 400 | 422,
  problems: ValidationProblem[],
  prefix = "",
  what = "validation failed",
): ApiError {
  const located = problems.map((p) => ({
    path: prefix === "" ? p.path : p.path === "" ? prefix : `${prefix}.${p.path}`,
    message: p.message,
  }));
  const text = located.map((p) => (p.path === "" ? p.message : `${p.path}: ${p.message}`)).join("; ");
  return new ApiError(status, "validation_error", `${what}: ${text}`, { errors: located });
}

/** What a route handler answers. `body` is serialized as JSON. */
export interface HandlerResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** 200 with Polytomic's envelope `{data, ...extra}`. */
export function ok(data: unknown, extra: Record<string, unknown> = {}): HandlerResult {
  return { status: 200, body: { data, ...extra } };
}

/** A successful DELETE's answer: 200 with `{}` (Polytomic documents no body; `{}` keeps it JSON). */
export function deleted(): HandlerResult {
  return { status: 200, body: {} };
}

/** Settings the route handlers need. */
export interface RouteSettings {
  schemaReadyDelayMs: number;
  bucketsDir: string;
  /** What sources that are not buckets offer: their schemas, fields and sample rows (./catalog). */
  catalog: SourceCatalog;
  /** The background runs of executions: handlers start and cancel them through it (./execution-runner). */
  executions: ExecutionRunner;
}

/** What a handler gets: the request, the path parameters, the state and the clock. */
export interface RequestContext {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  state: EmulatorState;
  settings: RouteSettings;
  now(): number;
  /**
   * Who makes the request (the server's authentication step sets it). For organization-scoped routes `state` shows
   * only the caller's organization (see admin-state.ts).
   */
  caller?: Caller;
}

/** A path parameter (`:id` in the route's pattern); the router sets every one its pattern names. */
export function pathParam(ctx: RequestContext, name = "id"): string {
  return ctx.params[name] ?? "";
}

/** A route's handler: throws {@link ApiError} to answer an error. */
export type Handler = (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;

/** The request body as an object, or 400. */
export function bodyObject(ctx: RequestContext): Record<string, unknown> {
  if (!isPlainObject(ctx.body)) throw badRequest("request body must be a JSON object");
  return ctx.body;
}

const KIND_TEXT = { string: "a string", object: "an object", array: "an array" } as const;

/** 400 naming every missing (or wrongly typed) required top-level field. */
export function requireFields(
  body: Record<string, unknown>,
  fields: Record<string, "string" | "object" | "array">,
): void {
  const problems: ValidationProblem[] = [];
  for (const [name, kind] of Object.entries(fields)) {
    const value = body[name];
    if (value === undefined || value === null || (kind === "string" && value === "")) {
      problems.push({ path: name, message: "is required" });
    } else if (
      (kind === "string" && typeof value !== "string") ||
      (kind === "object" && !isPlainObject(value)) ||
      (kind === "array" && !Array.isArray(value))
    ) {
      problems.push({ path: name, message: `must be ${KIND_TEXT[kind]}` });
    }
  }
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.path} ${p.message}`).join("; ");
    throw badRequest(text, { errors: problems });
  }
}

/** A query flag: `true` or `1` is on, anything else (or absent) off. */
export function boolQuery(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === "true" || v === "1";
}

/** Epoch milliseconds as the API's timestamps (ISO 8601, UTC). */
export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
