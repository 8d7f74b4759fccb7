export * from "./client";
export * from "./deployment-url";
export * from "./errors";
export * from "./idempotency";
export * from "./retry-policy";
export * from "./schema-wait";
export * from "./transport";
