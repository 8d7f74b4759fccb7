import { z } from "zod";

/** A JSON object whose keys the API owns (configurations): kept whole, never stripped. */
export const JsonObject = z.record(z.string(), z.unknown());

/** `null` and absent both read as `undefined`, so optional API fields compare equal whichever the server sends. */
export const optional = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => (v === null ? undefined : v))
    .optional();
