export * from "./connection";
export type { ConnectionCommonArgs } from "./connection-base";
export * from "./gcs-connection";
export * from "./model";
export * from "./sync";
export * from "./typed-connection";
export * from "./webhook-connection";
