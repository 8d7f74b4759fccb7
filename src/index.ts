/**
 * pulumi-polytomic: Polytomic connections, models and syncs as Pulumi resources.
 *
 * Provider settings come from the stack config `polytomic:apiKey` (secret) and `polytomic:deploymentUrl`, or the
 * environment variables `POLYTOMIC_API_KEY` and `POLYTOMIC_DEPLOYMENT_URL`.
 */

export {
  DEFAULT_RETRY_POLICY,
  PolytomicApiError,
  PolytomicClient,
  type RequestLogEntry,
  type RetryPolicy,
  type TransportOptions,
} from "./client";
export * from "./resources";
