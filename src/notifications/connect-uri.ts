// The only hosts a stream connects to: the region's streaming host, or the loopback host of a loopback baseUrl
// (the simulator). Checked before connecting, so a channel answer can never send the stream elsewhere.
import { NotificationError } from "../errors.js";
import { isLoopbackHost } from "../origins.js";
import { REGION_DOMAINS, regionDomain } from "../regions.js";

const DOMAINS = new Set<string>(Object.values(REGION_DOMAINS));

/** A URL safe to show: origin and path, never the query (where a token could be) or credentials. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "(not a URL)";
  }
}

/** Returns a checker of `connectUri`s for a client whose API origin is `apiOrigin` and region `region`. */
export function connectUriPolicy(apiOrigin: string, region: string): (connectUri: unknown) => string {
  const apiHost = new URL(apiOrigin).hostname;
  const loopback = isLoopbackHost(apiHost);
  // An API origin on a region's domain (`https://api.mypurecloud.ie`) names the region, whatever `region` says.
  const domain = apiHost.startsWith("api.") && DOMAINS.has(apiHost.slice(4)) ? apiHost.slice(4) : loopback ? undefined : regionDomain(region);
  const expected = loopback ? `ws://${apiHost}` : `wss://streaming.${domain}`;

  return (connectUri) => {
    let url: URL;
    try {
      url = new URL(String(connectUri));
    } catch {
      throw new NotificationError(`The channel's connectUri is not a URL; expected ${expected}/channels/{id}.`, "invalid-connect-uri");
    }
    const shown = redactUrl(url.href);
    if (url.username || url.password)
      throw new NotificationError(`The channel's connectUri ${shown} carries credentials; not connecting.`, "invalid-connect-uri");
    const secure = url.protocol === "wss:";
    if (!secure && !(loopback && url.protocol === "ws:")) {
      throw new NotificationError(
        `The channel's connectUri ${shown} must be a wss:// URL (ws:// only on a loopback host); not connecting.`,
        "invalid-connect-uri",
      );
    }
    const hostOk = loopback ? url.hostname === apiHost : url.hostname === `streaming.${domain}` && (url.port === "" || url.port === "443");
    if (!hostOk) {
      throw new NotificationError(
        `The channel's connectUri ${shown} is not on ${expected}, the streaming host of this client's ${loopback ? "loopback baseUrl" : "region"}; not connecting.`,
        "foreign-connect-uri",
      );
    }
    return url.href;
  };
}
