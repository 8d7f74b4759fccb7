import { z } from "zod";
import {
  POLICY_ACTIONS,
  type PolicyRequest,
  type PolicyResponse,
  type RoleRequest,
  type RoleResponse,
} from "../api";
import { POLICY_FIELDS, type PolicyActionOutput, ROLE_FIELDS } from "../resources/permissions";
import type { CheckFailure } from "./check";
import type { ObjectSpec } from "./object-provider";
import { compact } from "./plain";
import { UNKNOWN } from "./unknown";

const ID = z.string().min(1, "must not be empty");

// ---- Role ----

/** The Role inputs after `check`. */
export interface RoleInputs {
  name: string;
  organizationId?: string;
  importId?: string;
  __provider?: string;
}
/** The Role outputs: the inputs and whether the role is built in. */
export interface RoleOutputs extends RoleInputs {
  system?: boolean;
}

const RoleValidator = z
  .object({
    name: ID,
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** The Role resource's spec. */
export const ROLE_SPEC: ObjectSpec<RoleInputs, RoleOutputs, RoleRequest, RoleResponse> = {
  noun: "role",
  validator: RoleValidator,
  request: (inputs) => compact({ name: inputs.name, organization_id: inputs.organizationId }) as RoleRequest,
  secrets: () => [],
  outputs: (inputs, response) => compact({ ...inputs, system: response.system }) as RoleOutputs,
  readOutputs: (previous, response) =>
    compact({
      name: response.name,
      organizationId: response.organization_id,
      system: response.system,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as RoleOutputs,
  inputsOf: ({ system, ...inputs }) => inputs,
  fields: ROLE_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  explain: (error) =>
    error.status === 403 && /built-in|system/i.test(error.apiMessage ?? "")
      ? "Built-in roles (Admin, Member) cannot change: reference them with getRole() instead of managing them."
      : undefined,
  api: (client) => client.admin.roles,
};

// ---- Policy ----

/** The Policy inputs after `check`. */
export interface PolicyInputs {
  name: string;
  policyActions: PolicyActionOutput[];
  organizationId?: string;
  importId?: string;
  __provider?: string;
}
/** The Policy outputs: the inputs (actions sorted) and whether the policy is built in. */
export interface PolicyOutputs extends PolicyInputs {
  system?: boolean;
}

const PolicyValidator = z
  .object({
    name: ID,
    policyActions: z.array(
      z.object({ action: z.enum(POLICY_ACTIONS), roleIds: z.array(ID).optional() }).strict(),
    ),
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

/** Actions sorted by name, role ids sorted and without repeats: the one form outputs record and diff compares. */
function sortedActions(actions: readonly PolicyActionOutput[]): PolicyActionOutput[] {
  return [...actions]
    .sort((a, b) => a.action.localeCompare(b.action))
    .map((a) =>
      a.roleIds === undefined
        ? { action: a.action }
        : { action: a.action, roleIds: [...new Set(a.roleIds)].sort() },
    );
}

/** Whether a value is a list of known actions (not an unknown at preview): only those are sorted. */
function isActionList(value: unknown): value is PolicyActionOutput[] {
  return (
    Array.isArray(value) &&
    value.every(
      (a) =>
        a !== null &&
        typeof a === "object" &&
        typeof a.action === "string" &&
        (a.roleIds === undefined || Array.isArray(a.roleIds)),
    )
  );
}

/**
 * What a read shows: the actions with roles, and those the program listed (Polytomic may list every action on
 * every policy, most with no role: one the program did not list and that allows no role is left out).
 */
function readActions(
  previous: Partial<PolicyOutputs> | undefined,
  response: PolicyResponse,
): PolicyActionOutput[] {
  const listed = new Set((previous?.policyActions ?? []).map((a) => a.action));
  return sortedActions(
    response.policy_actions
      .filter((a) => a.role_ids.length > 0 || listed.has(a.action as PolicyActionOutput["action"]))
      .map((a) => ({ action: a.action as PolicyActionOutput["action"], roleIds: a.role_ids })),
  );
}

/** Each action at most once (the API keeps one binding per action). */
function duplicateActions(news: Record<string, unknown>): CheckFailure[] {
  const actions = news.policyActions;
  if (!Array.isArray(actions)) return [];
  const seen = new Set<string>();
  const failures: CheckFailure[] = [];
  actions.forEach((a, i) => {
    const action = (a as { action?: unknown } | null)?.action;
    if (typeof action !== "string" || action === UNKNOWN) return;
    const property = `policyActions[${i}].action`;
    if (seen.has(action)) failures.push({ property, reason: `${property} lists "${action}" a second time` });
    seen.add(action);
  });
  return failures;
}

/** The Policy resource's spec. */
export const POLICY_SPEC: ObjectSpec<PolicyInputs, PolicyOutputs, PolicyRequest, PolicyResponse> = {
  noun: "policy",
  validator: PolicyValidator,
  crossChecks: duplicateActions,
  request: (inputs) =>
    compact({
      name: inputs.name,
      policy_actions: inputs.policyActions.map((a) => ({ action: a.action, role_ids: a.roleIds ?? [] })),
      organization_id: inputs.organizationId,
    }) as PolicyRequest,
  secrets: () => [],
  outputs: (inputs, response) =>
    compact({
      ...inputs,
      policyActions: sortedActions(inputs.policyActions),
      system: response.system,
    }) as PolicyOutputs,
  readOutputs: (previous, response) =>
    compact({
      name: response.name,
      policyActions: readActions(previous, response),
      organizationId: response.organization_id,
      system: response.system,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as PolicyOutputs,
  inputsOf: ({ system, ...inputs }) => inputs,
  normalize: (inputs) =>
    isActionList(inputs.policyActions)
      ? { ...inputs, policyActions: sortedActions(inputs.policyActions) }
      : inputs,
  fields: POLICY_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  api: (client) => client.admin.policies,
};
