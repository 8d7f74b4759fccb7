export * from "./bulk-sync";
export * from "./bulk-sync-enums";
export * from "./common";
export * from "./connection";
export * from "./identity";
export * from "./model";
export * from "./sync";
export * from "./sync-enums";
