// Public surface of genesys-cloud-sdk.
export { createGenesysClient, unwrap } from "./client.js";
export type { ApiResult, CallExtras, GenesysClient, GenesysClientOptions, GenesysMethod } from "./client.js";
export * from "./errors.js";
export type { GenesysEventName, GenesysEvents, Listener, RetryReason } from "./events.js";
export { findOperation, findOperationByRoute, listOperations, specInfo } from "./operations/index.js";
export type { HttpMethod, OperationInfo, OperationInfoOf, OperationMap, OperationName, PagingStyle, RequiredPermissions } from "./operations/index.js";
export { REGIONS, REGION_DOMAINS, UnknownRegionError, apiOrigin, loginOrigin, isRegion } from "./regions.js";
export type { GenesysRegion } from "./regions.js";
export type { AccessTokenAuth, AuthOptions, ClientCredentialsAuth } from "./auth/types.js";
export type * from "./resilience/types.js";
export type { paths, components, operations } from "./generated/paths.js";
