// Origin checks shared by the client options and pagination.
import { ConfigurationError } from "./errors.js";

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOST.test(hostname);
}

/** Parses `value` as an origin; `http://` is accepted only for loopback hosts (simulators, local proxies). */
export function secureOrigin(value: string, option: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`${option} "${value}" is not a valid URL`);
  }
  // Credentials in the URL would be sent to the server in clear and end up in logs; fetch refuses them anyway.
  if (url.username || url.password) {
    throw new ConfigurationError(`${option} must not contain credentials (user:password@); pass them through \`auth\`.`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `${option} "${url.origin}" uses plain http:// to a non-loopback host; use https:// (http:// is allowed only for localhost/127.0.0.1/[::1]).`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigurationError(`${option} "${value}" must be an http(s) URL`);
  }
  return url.origin;
}

/**
 * An API or login base URL given as an option: its origin (checked as above) and the base requests are made
 * under — the origin plus a path prefix, kept (a proxy may mount the API under one). A query or fragment would be
 * glued to every request's path, so it is refused.
 */
export function secureBase(value: string, option: string): { origin: string; base: string } {
  const origin = secureOrigin(value, option);
  if (value.includes("?") || value.includes("#")) {
    throw new ConfigurationError(`${option} "${value}" must not contain a query (?) or fragment (#): requests are made under its path.`);
  }
  const path = new URL(value).pathname.replace(/\/+$/, "");
  return { origin, base: `${origin}${path}` };
}
