import { z } from "zod";
import { optional } from "./common";

/** `GET /api/me`. */
export const Identity = z.looseObject({
  id: optional(z.string()),
  email: optional(z.string()),
  organization_id: optional(z.string()),
  organization_name: optional(z.string()),
  role: optional(z.string()),
  is_organization: optional(z.boolean()),
  is_partner: optional(z.boolean()),
  is_user: optional(z.boolean()),
  is_system: optional(z.boolean()),
});
export type Identity = z.infer<typeof Identity>;
