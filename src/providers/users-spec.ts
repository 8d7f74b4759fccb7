import { z } from "zod";
import type { UserRequest, UserResponse } from "../api";
import { USER_API_KEY_FIELDS, USER_FIELDS } from "../resources/users";
import type { ObjectApi, ObjectSpec } from "./object-provider";
import { compact } from "./plain";

const ID = z.string().min(1, "must not be empty");
/** A kind without a display name (messages name it through `describe`). */
type Unnamed<T> = T & { name?: string };

// ---- User ----

/** The User inputs after `check`. */
export interface UserInputs {
  email: string;
  roleIds?: string[];
  organizationId?: string;
  importId?: string;
  __provider?: string;
}
/** The User outputs: the inputs (email in lower case, as Polytomic stores it) and the deprecated role name. */
export interface UserOutputs extends UserInputs {
  role?: string;
}

const UserValidator = z
  .object({
    email: z.string().regex(/^[^\s@]+@[^\s@]+$/, "must be an email address"),
    roleIds: z.array(ID).min(1).optional(),
    organizationId: ID.optional(),
    importId: ID.optional(),
    __provider: z.string().optional(),
  })
  .strict();

const lower = (email: unknown) => (typeof email === "string" ? email.trim().toLowerCase() : email);

/** The User resource's spec: the current organization's endpoints with an API key, the partner's otherwise. */
export const USER_SPEC: ObjectSpec<Unnamed<UserInputs>, Unnamed<UserOutputs>, UserRequest, UserResponse> = {
  noun: "user",
  validator: UserValidator,
  describe: (values, id) => `user "${String(values?.email ?? "")}"${id === undefined ? "" : ` (${id})`}`,
  access: "users",
  request: (inputs) =>
    compact({ email: lower(inputs.email) as string, role_ids: inputs.roleIds }) as UserRequest,
  secrets: () => [],
  outputs: (inputs, response) =>
    compact({ ...inputs, email: lower(inputs.email), role: response.role }) as UserOutputs,
  readOutputs: (previous, response) =>
    compact({
      email: response.email.toLowerCase(),
      roleIds: response.role_ids?.length ? response.role_ids : undefined,
      organizationId: response.organization_id,
      role: response.role,
      importId: previous?.importId,
      __provider: previous?.__provider,
    }) as UserOutputs,
  inputsOf: ({ role, ...inputs }) => inputs,
  normalize: (inputs) => ({ ...inputs, email: lower(inputs.email) as string }),
  fields: USER_FIELDS,
  compare: { unordered: ["roleIds"], computedWhenAbsent: ["organizationId", "roleIds"] },
  explain: (error) =>
    error.status === 422 && /already exists/i.test(error.message)
      ? "The organization has a user with this email already: adopt it with `importId: <the user's id>`."
      : undefined,
  api(client, credential): ObjectApi<UserRequest, UserResponse> {
    if (credential.endpoints === "partner")
      return client.admin.partnerUsers(credential.organizationId as string);
    const users = client.admin.users;
    return {
      ...users,
      // The current organization's update changes only the roles: its body has no email.
      update: (id, body, options) => users.update(id, compact({ role_ids: body.role_ids }), options),
    };
  },
};

// ---- UserApiKey ----

/** The UserApiKey inputs after `check`. */
export interface UserApiKeyInputs {
  userId: string;
  organizationId?: string;
  force?: boolean;
  __provider?: string;
}
/** The UserApiKey outputs: the inputs and the key, kept from create. */
export interface UserApiKeyOutputs extends UserApiKeyInputs {
  value?: string;
}

/** What the provider sends (a user and `force`) and what it keeps (the user, and the key once created). */
interface KeyRequest {
  userId: string;
  force?: boolean;
}
interface KeyResponse {
  id: string;
  value?: string;
}

const UserApiKeyValidator = z
  .object({
    userId: ID,
    organizationId: ID.optional(),
    force: z.boolean().optional(),
    __provider: z.string().optional(),
  })
  .strict();

/**
 * The UserApiKey resource's spec. Its id is the user's id. Create asks for a new key (shown once); a read only
 * checks that the user still exists and keeps the key from state; delete does nothing, as Polytomic has no call
 * to revoke a key (deleting the user, or a new key with `force`, does).
 */
export const USER_API_KEY_SPEC: ObjectSpec<
  Unnamed<UserApiKeyInputs>,
  Unnamed<UserApiKeyOutputs>,
  KeyRequest,
  KeyResponse
> = {
  noun: "user API key",
  validator: UserApiKeyValidator,
  describe: (values, id) => `the API key of user ${String(values?.userId ?? id ?? "")}`,
  access: "partnerUsers",
  request: (inputs) => compact({ userId: inputs.userId, force: inputs.force }) as KeyRequest,
  secrets: () => [],
  outputs: (inputs, response) => compact({ ...inputs, value: response.value }) as UserApiKeyOutputs,
  readOutputs: (previous, response) =>
    compact({
      userId: response.id,
      organizationId: previous?.organizationId,
      force: previous?.force,
      value: previous?.value,
      __provider: previous?.__provider,
    }) as UserApiKeyOutputs,
  inputsOf: ({ value, ...inputs }) => inputs,
  fields: USER_API_KEY_FIELDS,
  compare: { computedWhenAbsent: ["organizationId"] },
  explain: (error) =>
    error.key === "api_key_exists" || error.status === 409
      ? "The user has an API key already: set `force: true` to revoke it and create a new one."
      : undefined,
  api(client, credential) {
    const users = client.admin.partnerUsers(credential.organizationId as string);
    const exists = async (id: string): Promise<KeyResponse> => ({ id: (await users.get(id)).id });
    return {
      create: async (body, options) => {
        const key = await users.createKey(body.userId, { ...options, force: body.force === true });
        return { id: body.userId, value: key.value };
      },
      get: exists,
      // Every argument replaces the key: there is nothing to update in place.
      update: (id) => exists(id),
      delete: async () => undefined,
    };
  },
};
