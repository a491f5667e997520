export * from "./user-json";
export * from "./user-schemas";
