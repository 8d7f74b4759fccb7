import { ConnectionUser } from "../api";
import { PolytomicApiError } from "../client";
import { KEY_SETTINGS, type KeySetting } from "./credentials";

/** How messages name each key. */
const KEY_NOUNS: Readonly<Record<KeySetting, string>> = {
  apiKey: "API key",
  partnerKey: "partner key",
  deploymentKey: "deployment key",
};

/**
 * Thrown by `create` (and `update`) when the object exists in Polytomic but is not ready (its schema cache timed
 * out, or failed). The dynamic-provider server turns an error with `id` into `ErrorResourceInitFailed`: Pulumi
 * keeps the object in state, and the next `up` retries through `update`. Never orphaned.
 */
export class ResourceInitError extends Error {
  readonly id: string;
  /** The outputs to record, `__provider` included (delete and update load the provider from them). */
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];

  /**
   * `hint` replaces the default advice ("the object … was created and is kept; run `pulumi up` again to resume")
   * where resuming is not what happens next (a run that failed is kept as it ended).
   */
  constructor(id: string, properties: Record<string, unknown>, reasons: string[], hint?: string) {
    super(
      `${reasons.join("; ")} (${hint ?? `the object ${id} was created and is kept; run \`pulumi up\` again to resume`})`,
    );
    this.name = "ResourceInitError";
    this.id = id;
    this.properties = properties;
    this.reasons = reasons;
  }
}

/**
 * Turns API errors into the messages Pulumi users need: credentials problems name the settings to fix, a
 * connection in use lists its dependents. Other errors pass through (they already name method, path, status).
 */
export function explainApiError(error: unknown, action: string, key: KeySetting = "apiKey"): unknown {
  if (!(error instanceof PolytomicApiError)) return error;
  if (error.status === 401 || error.status === 403) {
    const { config, env } = KEY_SETTINGS[key];
    const noun = KEY_NOUNS[key];
    const what = error.status === 401 ? `rejected the ${noun}` : `refused access with this ${noun}`;
    return new Error(
      `${action}: Polytomic ${what} (${error.status} from ${error.method} ${error.path}). ` +
        `Check \`${config}\` (\`pulumi config set --secret ${config} <key>\`) or the ${env} ` +
        "environment variable, and `polytomic:deploymentUrl` / POLYTOMIC_DEPLOYMENT_URL for a self-hosted deployment." +
        (error.status === 403 && key !== "apiKey"
          ? " A partner key acts only in its partner's organizations: check the organization id too."
          : ""),
      { cause: error },
    );
  }
  return new Error(`${action}: ${error.message}`, { cause: error });
}

/** The dependents named in a `422 connection in use` answer, or undefined when the error is something else. */
export function connectionUsers(error: unknown): ConnectionUser[] | undefined {
  if (!(error instanceof PolytomicApiError) || error.status !== 422) return undefined;
  const usedBy = error.metadata?.used_by;
  const inUse =
    /in use/i.test(error.apiMessage ?? "") || error.key === "connection_in_use" || usedBy !== undefined;
  if (!inUse) return undefined;
  const parsed = ConnectionUser.array().safeParse(usedBy ?? []);
  return parsed.success ? parsed.data : [];
}

/** Whether an error is the API's 404. */
export function isNotFound(error: unknown): boolean {
  return error instanceof PolytomicApiError && error.status === 404;
}
