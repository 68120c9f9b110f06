// Public surface of genesys-cloud-sdk: every name listed on purpose (the API report, api/, checks the list).
export { createGenesysClient, unwrap } from "./client.js";
export type { ApiResult, GenesysClient, GenesysClientOptions } from "./client.js";
export type { CallExtras, CallOptions, CallResult, GenesysMethod, OperationId, ParseAs, RouteMethod, RoutesOf, RouteTable } from "./call-types.js";
export {
  AbortedError,
  AuthError,
  BreakerOpenError,
  BulkheadFullError,
  ConfigurationError,
  GenesysApiError,
  GenesysError,
  InvalidPathParameterError,
  InvalidResponseError,
  JobError,
  NetworkError,
  NotificationError,
  PaginationError,
  ResilienceError,
  RetryBudgetExceededError,
  TimeoutError,
} from "./errors.js";
export type { GenesysApiErrorInit, GenesysErrorBody, JobErrorReason, NotificationErrorReason, OperationRef, PaginationErrorReason } from "./errors.js";
export type { GenesysEventName, GenesysEvents, GiveUpReason, Listener, RetryReason } from "./events.js";
// The operation table and its lookups (findOperation, listOperations, OperationMap, …) are
// `genesys-cloud-sdk/operations`: the table is 0.5 MB, so the core does not import it (gc.call and a 403's
// permission hint load it on first use). OperationRow is the row shape of a generated `operations.ts`.
export type { HttpMethod, OperationInfo, OperationRow, PagingStyle, RequiredPermissions } from "./operations/types.js";
export { REGIONS, REGION_DOMAINS, UnknownRegionError, apiOrigin, loginOrigin, isRegion } from "./regions.js";
export type { GenesysRegion } from "./regions.js";
export type {
  Coordinator,
  CoordinatorAttachment,
  CoordinatorClient,
  CoordinatorState,
  SharedToken,
  SharedTokenChange,
  SharedTokenStore,
} from "./coordination/types.js";
export type { AccessTokenAuth, AuthOptions, ClientCredentialsAuth, TokenRequestOptions } from "./auth/types.js";
export type { PageItem, PageOf, PageOptions } from "./pagination/index.js";
export type {
  JobAvailabilityOptions,
  JobAvailabilityPath,
  JobInit,
  JobItem,
  JobOptions,
  JobPage,
  JobPollOptions,
  JobResultsQuery,
  JobStatus,
  JobSubmitPath,
  Jobs,
} from "./jobs/index.js";
export type {
  BreakerOptions,
  BreakerState,
  BulkheadOptions,
  CallPolicy,
  CallResilienceOptions,
  FleetTurn,
  IDisposable,
  KnownLimit,
  LearnedLimit,
  LimitKind,
  LimitSharing,
  LimitSource,
  NamedLimit,
  PauseEvent,
  RateLimitOptions,
  ResilienceOptions,
  ResilienceStats,
  RetryOptions,
  RetryOutcome,
  SharedLimitEvent,
  TimeoutOptions,
  TurnReport,
} from "./resilience/types.js";
export type {
  DisconnectEvent,
  DisconnectReason,
  EventOf,
  GapEvent,
  KnownTopic,
  Notifications,
  NotificationStream,
  NotificationStreamEvents,
  NotificationStreamStats,
  ReconnectEvent,
  SubscribeOptions,
  TopicEvent,
  TopicMap,
  TopicName,
  TopicOf,
  WebSocketConstructor,
  WebSocketEventLike,
  WebSocketLike,
} from "./notifications/types.js";
export { createLocalLimitSharing } from "./resilience/rate-limit/sharing.js";
export type { components, operations, paths, routes } from "./generated/paths.js";
