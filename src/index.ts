/**
 * pulumi-polytomic: Polytomic connections, models, syncs and bulk syncs as Pulumi resources, and the bulk-sync
 * look-ups (`getBulkSource`, `getBulkDestination`); organizations, users, roles, policies, notifications and schema
 * overrides, and their look-ups (`getRole`, `getCallerIdentity`).
 *
 * Provider settings come from the stack config `polytomic:apiKey` (secret) and `polytomic:deploymentUrl`, or the
 * environment variables `POLYTOMIC_API_KEY` and `POLYTOMIC_DEPLOYMENT_URL`; partners set `polytomic:partnerKey`
 * (and `polytomic:organizationId`), or `POLYTOMIC_PARTNER_KEY` (`POLYTOMIC_ORGANIZATION_ID`).
 */

import type * as client from "./client";

export type { RequestLogEntry, RetryPolicy, TransportOptions } from "./client";
export * from "./functions";
export * from "./lookups";
export * from "./resources";

/**
 * The HTTP client, for programs and scripts that call Polytomic's API directly. Loaded on first use, so a Pulumi
 * program that only declares resources never loads the HTTP stack (undici, zod).
 */
export declare const PolytomicClient: typeof client.PolytomicClient;
export type PolytomicClient = client.PolytomicClient;
/** The error every API call throws: status, method, path, the API's message, key and metadata; secrets redacted. */
export declare const PolytomicApiError: typeof client.PolytomicApiError;
export type PolytomicApiError = client.PolytomicApiError;
/** The client's default retry policy. */
export declare const DEFAULT_RETRY_POLICY: typeof client.DEFAULT_RETRY_POLICY;

for (const name of ["PolytomicClient", "PolytomicApiError", "DEFAULT_RETRY_POLICY"] as const) {
  Object.defineProperty(exports, name, {
    enumerable: true,
    get: () => (require("./client") as typeof client)[name],
  });
}
