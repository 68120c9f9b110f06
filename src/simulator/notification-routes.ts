// The Notifications REST endpoints on the spec's paths, with Genesys's shapes (Channel, ChannelTopicEntityListing).
import { badRequest, notFound, SimHttpError } from "./errors.js";
import type { NotificationHub } from "./notifications.js";
import { jsonReply, type Reply, type SimRequest } from "./reply.js";

type Handler = (req: SimRequest, ctx: { notifications: NotificationHub }) => Reply;
const TOPIC = /^v2\.[^\s]+$/;

/** The routes, made with the route table's own `route()` so they register with one line. */
export function notificationRoutes<R>(route: (method: string, template: string, handle: Handler) => R): R[] {
  const CHANNEL = "/api/v2/notifications/channels/{channelId}";
  const SUBS = `${CHANNEL}/subscriptions`;
  return [
    route("POST", "/api/v2/notifications/channels", (req, { notifications }) => jsonReply(200, notifications.createChannel(owner(req)))),
    route("GET", "/api/v2/notifications/channels", (req, { notifications }) => jsonReply(200, { entities: notifications.listChannels(owner(req)) })),
    route("HEAD", CHANNEL, (req, { notifications }) => {
      if (!notifications.hasChannel(req.params.channelId)) throw channelNotFound(req.params.channelId);
      return { status: 200, headers: {}, body: "" };
    }),
    route("GET", SUBS, (req, { notifications }) => jsonReply(200, listing(req, existing(notifications, req.params.channelId), []))),
    route("PUT", SUBS, (req, ctx) => subscribe(req, ctx.notifications, false)),
    route("POST", SUBS, (req, ctx) => subscribe(req, ctx.notifications, true)),
    route("DELETE", SUBS, (req, { notifications }) => {
      existing(notifications, req.params.channelId);
      notifications.setTopics(req.params.channelId, []);
      return { status: 204, headers: {}, body: "" };
    }),
  ];
}

/** Channels are counted per user and app: here per bearer token. */
const owner = (req: SimRequest) => String(req.headers.authorization ?? "anonymous");

const channelNotFound = (id: string) => notFound(`Channel ${id.slice(0, 80)} was not found (it expired or was removed).`);

function existing(hub: NotificationHub, id: string): string[] {
  const topics = hub.topics(id);
  if (!topics) throw channelNotFound(id);
  return topics;
}

function subscribe(req: SimRequest, hub: NotificationHub, add: boolean): Reply {
  const before = existing(hub, req.params.channelId);
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch {
    throw badRequest("The request body must be a JSON array of { id } topics");
  }
  if (!Array.isArray(body)) throw badRequest("The request body must be a JSON array of { id } topics");
  const ids = body.map((t: { id?: unknown } | null) => (t && typeof t === "object" ? t.id : undefined));
  const bad = ids.filter((id) => typeof id !== "string" || !TOPIC.test(id) || id.startsWith("v2.system."));
  if (bad.length > 0)
    throw badRequest(
      `Invalid topic name(s): ${bad
        .slice(0, 5)
        .map((b) => JSON.stringify(b))
        .join(", ")}`,
    );
  const { rejectTopics, maxTopicsPerChannel } = hub.options();
  const refused = (ids as string[]).filter((id) => rejectTopics.some((pattern) => matches(pattern, id)));
  const ignoreErrors = req.query.get("ignoreErrors") === "true";
  if (refused.length > 0 && !ignoreErrors) {
    throw new SimHttpError(403, "missing.permissions", `You are not authorized to subscribe to ${refused.slice(0, 5).join(", ")}`);
  }
  const accepted = (ids as string[]).filter((id) => !refused.includes(id));
  const next = [...new Set(add ? [...before, ...accepted] : accepted)];
  if (next.length > maxTopicsPerChannel) {
    throw badRequest(`A channel can subscribe to at most ${maxTopicsPerChannel} topics (this request makes ${next.length}).`);
  }
  hub.setTopics(req.params.channelId, next);
  return jsonReply(200, listing(req, next, refused));
}

function listing(req: SimRequest, permitted: string[], rejected: string[]) {
  const selfUri = (id: string) => `${req.path.replace(/\/subscriptions$/, "")}/subscriptions/${encodeURIComponent(id)}`;
  return {
    entities: [
      ...permitted.map((id) => ({ id, state: "Permitted", selfUri: selfUri(id) })),
      ...rejected.map((id) => ({ id, state: "Rejected", rejectionReason: "Missing permission to subscribe to this topic", selfUri: selfUri(id) })),
    ],
  };
}

function matches(pattern: string, topic: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("*")
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
  );
  return re.test(topic);
}
