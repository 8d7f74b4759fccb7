/** The one organization and user every accepted API key belongs to. */
export const ORGANIZATION_ID = "4c0b4d6e-1f3a-4b2e-9a57-0e6f1c2d3b4a";
export const ORGANIZATION_NAME = "Emulated Organization";
export const USER_ID = "9d8e7f60-5a4b-4c3d-8e2f-1a0b9c8d7e6f";
export const USER_EMAIL = "emulator@example.com";

/** `GET /api/me`. */
export const IDENTITY = {
  email: USER_EMAIL,
  id: USER_ID,
  is_organization: false,
  is_partner: false,
  is_system: false,
  is_user: true,
  organization_id: ORGANIZATION_ID,
  organization_name: ORGANIZATION_NAME,
  role: "admin",
} as const;

/** `created_by` / `updated_by`. */
export const ACTOR = { id: USER_ID, name: USER_EMAIL, type: "user" } as const;
