export * from "../generated/connection-classes";
export * from "./bulk-sync";
export * from "./connection";
export type { ConnectionCommonArgs } from "./connection-base";
export * from "./connection-resource";
export * from "./model";
export * from "./sync";
export * from "./typed-connection";
