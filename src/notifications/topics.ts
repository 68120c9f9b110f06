// Topic names: validation, and spreading topics over channels of at most 1,000 topics each.
import { ConfigurationError, NotificationError } from "../errors.js";
import { TOPICS_PER_CHANNEL } from "./options.js";

const TOPIC = /^v2\.[^\s]+$/;
/** Topics the server sends on every channel without a subscription; not subscribable. */
export const HEARTBEAT_TOPIC = "channel.metadata";
export const SOCKET_CLOSING_TOPIC = "v2.system.socket_closing";

/** The distinct topics of `topics`, in order; throws for anything that is not a subscribable Genesys topic name. */
export function checkTopics(topics: unknown, what = "topics"): string[] {
  if (!Array.isArray(topics)) throw new ConfigurationError(`${what} must be an array of topic names such as "v2.users.{id}.presence"`);
  const bad = topics.filter((t) => typeof t !== "string" || t.length > 500 || !TOPIC.test(t) || t.startsWith("v2.system."));
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).map((t) => (typeof t === "string" ? `"${t.slice(0, 100)}"` : String(t)));
    throw new NotificationError(
      `Not a Genesys notification topic: ${shown.join(", ")}${bad.length > 5 ? ` and ${bad.length - 5} more` : ""}. Topics look like "v2.users.{id}.presence" (see GET /api/v2/notifications/availabletopics).`,
      "invalid-topic",
      bad.filter((t): t is string => typeof t === "string"),
    );
  }
  return [...new Set(topics as string[])];
}

/** Throws `too-many-topics` when `count` topics need more than `maxChannels` channels. */
export function checkTopicCount(count: number, maxChannels: number, topics: readonly string[]): void {
  if (count <= maxChannels * TOPICS_PER_CHANNEL) return;
  throw new NotificationError(
    `${count} topics need ${Math.ceil(count / TOPICS_PER_CHANNEL)} channels (Genesys allows ${TOPICS_PER_CHANNEL} topics per channel), ` +
      `but maxChannels is ${maxChannels}. Raise maxChannels (Genesys allows 20 channels per user and app) or subscribe fewer topics.`,
    "too-many-topics",
    topics,
  );
}

/**
 * Places `added` topics into lanes with `sizes` topics already: fills the fullest lanes that have room first
 * (fewest channels), then opens new lanes. Returns per existing lane the topics to add, and the new lanes' topics.
 */
export function placeTopics(sizes: readonly number[], added: readonly string[]): { existing: string[][]; fresh: string[][] } {
  const existing = sizes.map(() => [] as string[]);
  const room = sizes.map((n) => TOPICS_PER_CHANNEL - n);
  let i = 0;
  for (let lane = 0; lane < sizes.length && i < added.length; lane++) {
    const take = Math.min(room[lane], added.length - i);
    existing[lane].push(...added.slice(i, i + take));
    i += take;
  }
  const fresh: string[][] = [];
  for (; i < added.length; i += TOPICS_PER_CHANNEL) fresh.push(added.slice(i, i + TOPICS_PER_CHANNEL));
  return { existing, fresh };
}
