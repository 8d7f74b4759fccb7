import { z } from "zod";
import { SCHEDULE_FREQUENCIES } from "../api/sync-enums";
import { compact } from "./plain";

const ID = z.string().min(1, "must not be empty");
/** `hour`/`minute` etc. are strings on the wire; numbers are accepted and sent as two-digit strings. */
const TimePart = z.union([z.string(), z.number().int().min(0)]);

/** The fields of every schedule (model syncs and bulk syncs), as the resources take them (camelCase). */
export const SCHEDULE_SHAPE = {
  frequency: z.enum(SCHEDULE_FREQUENCIES),
  hour: TimePart.optional(),
  minute: TimePart.optional(),
  dayOfWeek: TimePart.optional(),
  dayOfMonth: TimePart.optional(),
  month: TimePart.optional(),
  jobId: z.number().int().optional(),
  connectionId: ID.optional(),
  runAfter: z
    .object({ syncIds: z.array(ID).optional(), bulkSyncIds: z.array(ID).optional() })
    .strict()
    .optional(),
  runAfterSuccessOnly: z.boolean().optional(),
};

/** A schedule's validator (`SyncSchedule`). */
export const ScheduleValidator = z.object(SCHEDULE_SHAPE).strict();
export type ScheduleInputs = z.infer<typeof ScheduleValidator>;

const pad = (v: unknown) => (typeof v === "number" ? String(v).padStart(2, "0") : v);

/** The schedule as sent and as Polytomic stores it: numbers as two-digit strings. */
export function normalizeSchedule<S extends Partial<ScheduleInputs>>(schedule: S): S {
  return compact({
    ...schedule,
    hour: pad(schedule.hour),
    minute: pad(schedule.minute),
    dayOfWeek: pad(schedule.dayOfWeek),
    dayOfMonth: pad(schedule.dayOfMonth),
    month: pad(schedule.month),
  }) as S;
}
