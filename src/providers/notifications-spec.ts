import { z } from "zod";
import type { EventWebhookRequest, EventWebhookResponse } from "../api";
import { PolytomicApiError } from "../client";
import { EVENT_WEBHOOK_FIELDS, GLOBAL_ERROR_SUBSCRIBERS_FIELDS } from "../resources/notifications";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";
import { assertKeyOrganization } from "./settings";

const ID = z.string().min(1, "must not be empty");
/** A kind without a display name (messages name it through `describe`). */
type Unnamed<T> = T & { name?: string };
const EMAIL = z.string().regex(/^[^\s@]+@[^\s@]+$/, "must be an email address");

// ---- GlobalErrorSubscribers ----

/** The GlobalErrorSubscribers inputs (and outputs). */
export interface GlobalErrorSubscribersInputs {
  emails: string[];
  organizationId?: string;
  __provider?: string;
}

/** The list as the provider handles it: the id names the organization whose list it is. */
interface SubscribersResponse {
  id: string;
  emails: string[];
}

/** The id of an organization's list: the organization's id, or this when the API key's own organization is meant. */
export const DEFAULT_SUBSCRIBERS_ID = "global-error-subscribers";

const organizationOfId = (id: string | undefined) =>
  id === undefined || id === DEFAULT_SUBSCRIBERS_ID ? undefined : id;

/**
 * The GlobalErrorSubscribers resource's spec: create and update write the whole list (`PUT`), delete writes an
 * empty one (there is no `DELETE`). The list always exists: an empty one (emptied outside Pulumi, or deleted) reads
 * as gone, which is why `emails` takes at least one address.
 */
export const GLOBAL_ERROR_SUBSCRIBERS_SPEC: ObjectSpec<
  Unnamed<GlobalErrorSubscribersInputs>,
  Unnamed<GlobalErrorSubscribersInputs>,
  { emails: string[] },
  SubscribersResponse
> = {
  noun: "global error subscribers",
  validator: z
    .object({
      emails: z.array(EMAIL).min(1),
      organizationId: ID.optional(),
      __provider: z.string().optional(),
    })
    .strict(),
  describe: (values, id) =>
    `the global error subscribers of ${
      (values?.organizationId ?? organizationOfId(id)) === undefined
        ? "the default organization"
        : `organization ${values?.organizationId ?? id}`
    }`,
  organizationOf: (values, id) => values?.organizationId ?? organizationOfId(id),
  request: (inputs) => ({ emails: [...new Set(inputs.emails)] }),
  secrets: () => [],
  outputs: (inputs) => compact({ ...inputs }) as GlobalErrorSubscribersInputs,
  readOutputs: (previous, response) =>
    compact({
      emails: response.emails,
      organizationId: previous?.organizationId ?? organizationOfId(response.id),
      __provider: previous?.__provider,
    }) as GlobalErrorSubscribersInputs,
  inputsOf: (outputs) => outputs,
  fields: GLOBAL_ERROR_SUBSCRIBERS_FIELDS,
  compare: { unordered: ["emails"], computedWhenAbsent: ["organizationId"] },
  api(client, credential) {
    const subscribers = client.admin.globalErrorSubscribers;
    const id = credential.organizationId ?? DEFAULT_SUBSCRIBERS_ID;
    const answer = async (emails: Promise<{ emails: string[] }>) => ({ id, emails: (await emails).emails });
    // The list has no id of its own: with an API key, an organization the key does not belong to is refused
    // before its own list is read or written in that organization's name.
    const checked = <T>(call: () => Promise<T>) => assertKeyOrganization(client, credential).then(call);
    return {
      create: (body) => checked(() => answer(subscribers.set(body.emails))),
      get: () =>
        checked(async () => {
          const list = await answer(subscribers.get());
          if (list.emails.length === 0) {
            throw new PolytomicApiError({
              status: 404,
              request: { method: "GET", path: "/api/notifications/global-error-subscribers", attempts: 1 },
              body: { key: "not_found", message: "the organization has no global error subscribers" },
            });
          }
          return list;
        }),
      update: (_id, body) => checked(() => answer(subscribers.set(body.emails))),
      delete: () => checked(() => subscribers.set([])),
    };
  },
};

// ---- EventWebhook ----

/** The EventWebhook inputs (and outputs). */
export interface EventWebhookInputs {
  endpoint: string;
  secret: string;
  enabled?: boolean;
  organizationId?: string;
  importId?: string;
  __provider?: string;
}

/** What the provider sends: the body, and whether deliveries should be on. */
interface WebhookRequest extends EventWebhookRequest {
  enabled?: boolean;
}

/**
 * The EventWebhook resource's spec. `enabled` maps to the enable and disable calls, made after the create or update
 * when the webhook is not as asked. The secret is write-only: a read keeps the program's value.
 */
export const EVENT_WEBHOOK_SPEC: ObjectSpec<
  Unnamed<EventWebhookInputs>,
  Unnamed<EventWebhookInputs>,
  WebhookRequest,
  EventWebhookResponse
> = {
  noun: "event webhook",
  validator: z
    .object({
      endpoint: z.string().regex(/^https?:\/\/\S+$/i, "must be an http(s) URL"),
      secret: ID,
      enabled: z.boolean().optional(),
      organizationId: ID.optional(),
      importId: ID.optional(),
      __provider: z.string().optional(),
    })
    .strict(),
  describe: (values, id) =>
    `event webhook ${String(values?.endpoint ?? "")}${id === undefined ? "" : ` (${id})`}`,
  request: (inputs) =>
    compact({
      endpoint: inputs.endpoint,
      secret: inputs.secret,
      organization_id: inputs.organizationId,
      enabled: inputs.enabled,
    }) as WebhookRequest,
  secrets: (inputs) => [inputs.secret],
  outputs: (inputs) => compact({ ...inputs }) as EventWebhookInputs,
  readOutputs: (previous, response) =>
    compact({
      endpoint: response.endpoint,
      secret: previous?.secret,
      enabled: response.disabled === undefined ? undefined : !response.disabled,
      organizationId: response.organization_id,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as EventWebhookInputs,
  inputsOf: (outputs) => outputs,
  fields: EVENT_WEBHOOK_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"], defaults: { enabled: true } },
  explain: (error) =>
    error.key === "webhook_exists" ||
    (error.status === 422 && /single webhook|webhook already/i.test(error.message))
      ? `An organization has one event webhook, and this one has${
          typeof error.metadata?.webhook_id === "string" ? ` ${error.metadata.webhook_id}` : " one"
        } already: adopt it with \`importId\`, or delete it first.`
      : undefined,
  api(client) {
    const webhooks = client.admin.eventWebhooks;
    /** Enables or disables the webhook when it is not as asked. */
    const settle = async (response: EventWebhookResponse, enabled: boolean | undefined, options: object) => {
      if (enabled === undefined || enabled === !response.disabled) return response;
      return enabled ? webhooks.enable(response.id, options) : webhooks.disable(response.id, options);
    };
    return {
      create: async ({ enabled, ...body }, options) =>
        settle(await webhooks.create(body, options), enabled, {}),
      get: (id) => webhooks.get(id),
      update: async (id, { enabled, ...body }, options) =>
        settle(await webhooks.update(id, body, options), enabled, {}),
      delete: (id) => webhooks.delete(id),
    };
  },
};
