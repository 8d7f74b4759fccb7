import * as pulumi from "@pulumi/pulumi";
import { defineFields, resourceProps, secretOutputsOf, withSecretOutputs } from "./fields";
import { forwarderFor, TYPE_MODULE } from "./forwarders";

/**
 * The organizations a singleton of this kind is declared for in this program run: `GlobalErrorSubscribers` and
 * `EventWebhook` exist once per organization, so a second declaration for the same organization is refused. Kept
 * per program run (the stack resource), or for the process when there is none.
 */
const declared = new WeakMap<object, Map<string, string>>();
const processRun = {};

/**
 * Claims `organizationId` (`""`: the stack's organization or the API key's own) for the resource `name` of `kind`;
 * throws when another resource of the kind claimed it in this run. Called when the organization id is known: at
 * once for a string (so `pulumi preview` fails), inside `apply` for an output (at preview when it is known then, and
 * before the second resource is registered otherwise).
 */
function claim(kind: string, name: string, organizationId: string): void {
  const run = (pulumi.runtime.getStackResource() as object | undefined) ?? processRun;
  const claims = declared.get(run) ?? new Map<string, string>();
  declared.set(run, claims);
  const key = `${kind}\n${organizationId}`;
  const holder = claims.get(key);
  if (holder !== undefined && holder !== name) {
    const where = organizationId === "" ? "the default organization" : `organization ${organizationId}`;
    throw new Error(
      `${kind} "${name}" and "${holder}" are both declared for ${where}: an organization has one ` +
        `${kind === "EventWebhook" ? "event webhook" : "list of global error subscribers"}. Declare it once ` +
        "(put every email in one list).",
    );
  }
  claims.set(key, name);
}

/** The organization id input with the one-per-organization check run as soon as the id is known. */
function claimed(
  kind: string,
  name: string,
  organizationId: pulumi.Input<string> | undefined,
): pulumi.Input<string> | undefined {
  if (organizationId === undefined || typeof organizationId === "string") {
    claim(kind, name, organizationId ?? "");
    return organizationId;
  }
  return pulumi.output(organizationId).apply((id) => {
    claim(kind, name, id ?? "");
    return id;
  });
}

/** Arguments of {@link GlobalErrorSubscribers}. */
export interface GlobalErrorSubscribersArgs {
  /**
   * The emails notified of every sync error in the organization: the whole list, at least one (to notify nobody,
   * delete the resource).
   */
  emails: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * The organization. Needed with a partner or deployment key (else `polytomic:organizationId` applies); with an
   * API key, the key's own organization. Changing it replaces the resource.
   */
  organizationId?: pulumi.Input<string>;
}

/** {@link GlobalErrorSubscribers}' field lists. */
export const GLOBAL_ERROR_SUBSCRIBERS_FIELDS = defineFields<GlobalErrorSubscribersArgs>()({
  remote: ["emails", "organizationId"],
  local: [],
  reported: [],
  replace: ["organizationId"],
  secret: [],
});

/**
 * The organization's one list of global error subscribers (Terraform: `polytomic_global_error_subscribers`).
 * Creating it replaces whatever list the organization had; deleting it empties the list (Polytomic has no delete);
 * a list emptied outside Pulumi reads as gone.
 * Declaring it twice for one organization in a program is refused: at `pulumi preview` when the organization id is
 * known then (a string, the stack's organization, an existing organization), else at `pulumi up`, before the second
 * list is written. Declarations in two different programs (stacks) cannot be detected: the last one written wins.
 * Its id is the organization's id (`global-error-subscribers` with an API key and no organization id).
 * Type token: `pulumi-nodejs:dynamic/polytomic:GlobalErrorSubscribers`.
 */
export class GlobalErrorSubscribers extends pulumi.dynamic.Resource {
  declare readonly emails: pulumi.Output<string[]>;
  declare readonly organizationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: GlobalErrorSubscribersArgs, opts?: pulumi.CustomResourceOptions) {
    const props =
      args === undefined
        ? args
        : { ...args, organizationId: claimed("GlobalErrorSubscribers", name, args.organizationId) };
    super(
      forwarderFor("GlobalErrorSubscribers"),
      name,
      resourceProps(GLOBAL_ERROR_SUBSCRIBERS_FIELDS, props),
      opts,
      TYPE_MODULE,
      "GlobalErrorSubscribers",
    );
  }

  /** A read-only reference to an organization's list; the id is the organization's id. */
  static get(
    name: string,
    id: pulumi.Input<string>,
    opts?: pulumi.CustomResourceOptions,
  ): GlobalErrorSubscribers {
    return new GlobalErrorSubscribers(name, undefined as unknown as GlobalErrorSubscribersArgs, {
      ...opts,
      id,
    });
  }
}

/** Arguments of {@link EventWebhook}. */
export interface EventWebhookArgs {
  /** The URL Polytomic POSTs every event of the organization to (sync and bulk-sync runs). */
  endpoint: pulumi.Input<string>;
  /**
   * The secret Polytomic signs each delivery with (the `Polytomic-Signature` header). Secret and write-only: never
   * compared with what Polytomic holds.
   */
  secret: pulumi.Input<string>;
  /**
   * Whether events are delivered (default true). While disabled, events are not queued: they are not delivered
   * later.
   */
  enabled?: pulumi.Input<boolean>;
  /**
   * The organization. Needed with a partner or deployment key (else `polytomic:organizationId` applies); with an
   * API key, the key's own organization. Changing it replaces the webhook.
   */
  organizationId?: pulumi.Input<string>;
  /** Adopt the organization's existing webhook, by its ID, instead of creating one. */
  importId?: pulumi.Input<string>;
}

/** {@link EventWebhook}'s field lists. */
export const EVENT_WEBHOOK_FIELDS = defineFields<EventWebhookArgs>()({
  remote: ["endpoint", "secret", "enabled", "organizationId"],
  local: ["importId"],
  reported: [],
  replace: ["organizationId"],
  secret: ["secret"],
});

/**
 * The organization's event webhook: Polytomic's event notifications (`sync.completed`, `bulk_sync.failed`, ...),
 * not the webhook connection that syncs write records to. An organization has at most one: declaring two for one
 * organization in a program is refused like {@link GlobalErrorSubscribers}, and creating one where the organization
 * has one already fails with an error that names it (adopt it with `importId`).
 * Type token: `pulumi-nodejs:dynamic/polytomic:EventWebhook`.
 */
export class EventWebhook extends pulumi.dynamic.Resource {
  declare readonly endpoint: pulumi.Output<string>;
  /** Secret. */
  declare readonly secret: pulumi.Output<string>;
  declare readonly enabled: pulumi.Output<boolean | undefined>;
  declare readonly organizationId: pulumi.Output<string | undefined>;

  constructor(name: string, args: EventWebhookArgs, opts?: pulumi.CustomResourceOptions) {
    const props =
      args === undefined
        ? args
        : { ...args, organizationId: claimed("EventWebhook", name, args.organizationId) };
    super(
      forwarderFor("EventWebhook"),
      name,
      resourceProps(EVENT_WEBHOOK_FIELDS, props),
      withSecretOutputs(opts, secretOutputsOf(EVENT_WEBHOOK_FIELDS)),
      TYPE_MODULE,
      "EventWebhook",
    );
  }

  /** A read-only reference to an existing event webhook, by its Polytomic ID. */
  static get(name: string, id: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions): EventWebhook {
    return new EventWebhook(name, undefined as unknown as EventWebhookArgs, { ...opts, id });
  }
}
