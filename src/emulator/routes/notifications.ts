import { randomUUID } from "node:crypto";
import { MASK } from "../../wire";
import { callerFrom, type StoredEventWebhook } from "../admin-state";
import { isNonEmptyString, isUnset, type Problem } from "../body-checks";
import {
  ApiError,
  bodyObject,
  deleted,
  findOr404,
  type HandlerResult,
  iso,
  ok,
  pathParam,
  type RequestContext,
  validationError,
} from "../http";
import type { RouteTable } from "../router";

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** An event webhook as the emulator answers it: the secret masked (Polytomic does not say whether it masks it). */
const webhookResponse = (w: StoredEventWebhook) => ({
  id: w.id,
  endpoint: w.endpoint,
  secret: MASK,
  disabled: w.disabled,
  organization_id: w.organization_id,
  created_at: w.created_at,
});

/** `endpoint` (an http(s) URL) and `secret` are both required, on create and update alike (422). */
function readWebhook(body: Record<string, unknown>) {
  const problems: Problem[] = [];
  if (!isNonEmptyString(body.endpoint)) problems.push({ path: "endpoint", message: "is required" });
  else if (!/^https?:\/\/[^\s/]+/i.test(body.endpoint))
    problems.push({ path: "endpoint", message: "must be an http(s) URL" });
  if (!isNonEmptyString(body.secret)) problems.push({ path: "secret", message: "is required" });
  if (problems.length > 0) throw validationError(422, problems, "", "invalid webhook");
  return { endpoint: body.endpoint as string, secret: body.secret as string };
}

/** "An organization can register a single webhook": a second create is 422 naming the first. */
function createWebhook(ctx: RequestContext): HandlerResult {
  const body = bodyObject(ctx);
  const fields = readWebhook(body);
  const organizationId = isNonEmptyString(body.organization_id)
    ? body.organization_id
    : callerFrom(ctx).organizationId;
  const existing = [...ctx.state.admin.eventWebhooks.values()].find(
    (w) => w.organization_id === organizationId,
  );
  if (existing !== undefined) {
    throw new ApiError(
      422,
      "webhook_exists",
      `the organization has an event webhook already (${existing.id})`,
      {
        webhook_id: existing.id,
      },
    );
  }
  const now = iso(ctx.now());
  const webhook: StoredEventWebhook = {
    id: randomUUID(),
    ...fields,
    disabled: false,
    organization_id: organizationId,
    created_at: now,
    updated_at: now,
  };
  ctx.state.admin.eventWebhooks.set(webhook.id, webhook);
  return ok(webhookResponse(webhook));
}

const getWebhook = (ctx: RequestContext) =>
  findOr404(ctx.state.admin.eventWebhooks, "webhook", pathParam(ctx));

/** A full replacement of endpoint and secret; enabled or disabled stays as it was. */
function updateWebhook(ctx: RequestContext): HandlerResult {
  const webhook = getWebhook(ctx);
  const updated = { ...webhook, ...readWebhook(bodyObject(ctx)), updated_at: iso(ctx.now()) };
  ctx.state.admin.eventWebhooks.set(webhook.id, updated);
  return ok(webhookResponse(updated));
}

function setDisabled(disabled: boolean) {
  return (ctx: RequestContext): HandlerResult => {
    const webhook = getWebhook(ctx);
    webhook.disabled = disabled;
    webhook.updated_at = iso(ctx.now());
    return ok(webhookResponse(webhook));
  };
}

function deleteWebhook(ctx: RequestContext): HandlerResult {
  ctx.state.admin.eventWebhooks.delete(getWebhook(ctx).id);
  return deleted();
}

// ---- Global error subscribers: answered without the `data` envelope ----

function subscribers(ctx: RequestContext): HandlerResult {
  const organizationId = callerFrom(ctx).organizationId;
  return {
    status: 200,
    body: { emails: ctx.state.admin.errorSubscribers.get(organizationId)?.emails ?? [] },
  };
}

/** A full replacement: the body's list becomes the whole list; an empty list (or `null`) unsubscribes everyone. */
function setSubscribers(ctx: RequestContext): HandlerResult {
  const body = bodyObject(ctx);
  const problems: Problem[] = [];
  const { emails } = body;
  if (!isUnset(emails) && !Array.isArray(emails))
    problems.push({ path: "emails", message: "must be an array" });
  const list = Array.isArray(emails) ? emails : [];
  list.forEach((email, i) => {
    if (typeof email !== "string" || !EMAIL.test(email)) {
      problems.push({ path: `emails[${i}]`, message: "must be an email address" });
    }
  });
  if (problems.length > 0) throw validationError(400, problems, "", "invalid subscribers");
  const organizationId = callerFrom(ctx).organizationId;
  ctx.state.admin.errorSubscribers.set(organizationId, {
    organization_id: organizationId,
    emails: [...new Set(list as string[])],
  });
  return subscribers(ctx);
}

/** The organization's event webhook and its global error subscribers. */
export const routes: RouteTable = [
  ["GET", "/api/webhooks", (ctx) => ok([...ctx.state.admin.eventWebhooks.values()].map(webhookResponse))],
  ["POST", "/api/webhooks", createWebhook],
  ["GET", "/api/webhooks/:id", (ctx) => ok(webhookResponse(getWebhook(ctx)))],
  ["PUT", "/api/webhooks/:id", updateWebhook],
  ["DELETE", "/api/webhooks/:id", deleteWebhook],
  ["POST", "/api/webhooks/:id/disable", setDisabled(true)],
  ["POST", "/api/webhooks/:id/enable", setDisabled(false)],
  ["GET", "/api/notifications/global-error-subscribers", subscribers],
  ["PUT", "/api/notifications/global-error-subscribers", setSubscribers],
];
