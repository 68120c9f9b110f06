// Regions and origins: all 18 regions, clear errors for unknown ones, http:// only for loopback, loginUrl override.
import { describe, expect, it } from "vitest";
import {
  ConfigurationError,
  createGenesysClient,
  REGIONS,
  REGION_DOMAINS,
  UnknownRegionError,
  apiOrigin,
  loginOrigin,
  type GenesysRegion,
} from "../../src/index.js";
import { json, startTinyServer } from "../support/tiny-server.js";

describe("regions", () => {
  it("knows the 18 Genesys Cloud regions and their API and login origins", () => {
    expect(REGIONS).toHaveLength(18);
    const expected: Record<GenesysRegion, string> = {
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
    };
    expect(REGION_DOMAINS).toEqual(expected);
    for (const region of REGIONS) {
      expect(apiOrigin(region)).toBe(`https://api.${expected[region]}`);
      expect(loginOrigin(region)).toBe(`https://login.${expected[region]}`);
      expect(createGenesysClient({ region }).baseUrl).toBe(`https://api.${expected[region]}`);
    }
  });

  it("an unknown region is a ConfigurationError listing the valid ones", () => {
    const error = (() => {
      try {
        createGenesysClient({ region: "us-east-1" as GenesysRegion });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UnknownRegionError);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(`Unknown Genesys Cloud region "us-east-1". Valid regions: ${REGIONS.join(", ")}.`);
    // Inherited keys are not regions either.
    expect(() => apiOrigin("toString")).toThrow(UnknownRegionError);
  });
});

describe("origins", () => {
  it("refuses plain http:// to a non-loopback host, for the API and the login origin", () => {
    for (const url of ["http://api.example.com", "http://10.0.0.1:8080", "http://0.0.0.0", "http://localhost.example.com"]) {
      expect(() => createGenesysClient({ baseUrl: url })).toThrow(/plain http:\/\/ to a non-loopback host/);
      expect(() => createGenesysClient({ region: "eu_west_1", loginUrl: url, auth: { clientId: "a", clientSecret: "b" } })).toThrow(ConfigurationError);
    }
    for (const url of ["http://localhost:4010", "http://127.0.0.1:1", "http://127.1.2.3", "http://[::1]:8080", "https://proxy.example.com/genesys"]) {
      expect(() => createGenesysClient({ baseUrl: url })).not.toThrow();
    }
  });

  it("refuses non-URLs, other schemes and credentials in the URL", () => {
    expect(() => createGenesysClient({ baseUrl: "api.mypurecloud.com" })).toThrow(/baseUrl "api.mypurecloud.com" is not a valid URL/);
    expect(() => createGenesysClient({ baseUrl: "ftp://127.0.0.1" })).toThrow(/must be an http\(s\) URL/);
    const error = (() => {
      try {
        createGenesysClient({ baseUrl: "https://user:pa55word@api.example.com" });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/must not contain credentials/);
    expect(error?.message).not.toContain("pa55word");
  });

  it("gets tokens from loginUrl when given, else from baseUrl", async () => {
    const login = await startTinyServer((_req, res) => json(res, 200, { access_token: "from-login", expires_in: 60 }));
    const api = await startTinyServer((req, res) => {
      if (req.url === "/oauth/token") return json(res, 200, { access_token: "from-api", expires_in: 60 });
      json(res, 200, { authorization: req.headers.authorization });
    });
    try {
      const auth = { clientId: "id", clientSecret: "secret" };
      const viaLogin = createGenesysClient({ baseUrl: api.url, loginUrl: login.url, auth });
      expect((await viaLogin.GET("/api/v2/users/me")).data).toEqual({ authorization: "Bearer from-login" });
      const tokenRequest = login.requests[0];
      expect(tokenRequest).toMatchObject({ method: "POST", url: "/oauth/token", body: "grant_type=client_credentials" });
      expect(tokenRequest.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(tokenRequest.headers.authorization).toBe(`Basic ${Buffer.from("id:secret").toString("base64")}`);
      const viaApi = createGenesysClient({ baseUrl: api.url, auth });
      expect((await viaApi.GET("/api/v2/users/me")).data).toEqual({ authorization: "Bearer from-api" });
    } finally {
      await Promise.all([login.close(), api.close()]);
    }
  });
});
