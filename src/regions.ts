// The 18 Genesys Cloud regions, keyed as the official SDKs key them (PureCloudRegionHosts).
// Hosts come only from this table: a region name never becomes a hostname by string building.
import { ConfigurationError } from "./errors.js";

export const REGION_DOMAINS = {
  us_east_1: "mypurecloud.com",
  us_east_2: "use2.us-gov-pure.cloud",
  us_west_2: "usw2.pure.cloud",
  ca_central_1: "cac1.pure.cloud",
  sa_east_1: "sae1.pure.cloud",
  mx_central_1: "mxc1.pure.cloud",
  eu_central_1: "mypurecloud.de",
  eu_central_2: "euc2.pure.cloud",
  eu_west_1: "mypurecloud.ie",
  eu_west_2: "euw2.pure.cloud",
  eusc_de_east_1: "edee1.eusc-pure.cloud",
  me_central_1: "mec1.pure.cloud",
  ap_south_1: "aps1.pure.cloud",
  ap_southeast_1: "apse1.pure.cloud",
  ap_southeast_2: "mypurecloud.com.au",
  ap_northeast_1: "mypurecloud.jp",
  ap_northeast_2: "apne2.pure.cloud",
  ap_northeast_3: "apne3.pure.cloud",
} as const;

export type GenesysRegion = keyof typeof REGION_DOMAINS;

export const REGIONS = Object.keys(REGION_DOMAINS) as GenesysRegion[];

/** A region name that is not one of the 18 Genesys Cloud regions (a `ConfigurationError`). */
export class UnknownRegionError extends ConfigurationError {
  override name = "UnknownRegionError";
  constructor(readonly region: string) {
    super(`Unknown Genesys Cloud region "${region}". Valid regions: ${REGIONS.join(", ")}.`);
  }
}

export function isRegion(value: unknown): value is GenesysRegion {
  return typeof value === "string" && Object.hasOwn(REGION_DOMAINS, value);
}

export function regionDomain(region: string): string {
  if (!isRegion(region)) throw new UnknownRegionError(region);
  return REGION_DOMAINS[region];
}

/** `https://api.<domain>` for a region. */
export function apiOrigin(region: string): string {
  return `https://api.${regionDomain(region)}`;
}

/** `https://login.<domain>` for a region. */
export function loginOrigin(region: string): string {
  return `https://login.${regionDomain(region)}`;
}
