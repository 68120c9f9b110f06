// Result items of the simulator's async jobs, deterministic by index like data.ts: AnalyticsConversation
// (conversation details jobs) and AnalyticsUserDetail (user details jobs), with the commonly used fields.
import { entityId, user } from "./data.js";

const KIND = { conversation: 0xad000009, participant: 0xad00000a, session: 0xad00000b, queue: 0xad00000c };
const BASE = Date.UTC(2025, 0, 6, 8, 0, 0);
const DIVISION_ID = "a1b2c3d4-0000-4000-8000-000000000001";
const iso = (ms: number) => new Date(BASE + ms).toISOString();

/** Conversation `i` of a details job: a customer and an agent on a voice call, 5 minutes apart. */
export function analyticsConversation(i: number, users: number) {
  const start = i * 300_000;
  const agent = user(i % users);
  const queueId = entityId(KIND.queue, i % 4);
  const session = (n: number, purpose: string) => ({
    mediaType: "voice",
    sessionId: entityId(KIND.session, i * 2 + n),
    direction: "inbound",
    ani: `tel:+1317555${String(i % 10_000).padStart(4, "0")}`,
    dnis: "tel:+18005550100",
    segments: [{ segmentStart: iso(start + n * 20_000), segmentEnd: iso(start + 240_000), segmentType: purpose === "agent" ? "interact" : "alert", queueId }],
    metrics: purpose === "agent" ? [{ name: "tTalk", value: 220_000 - n * 20_000, emitDate: iso(start + 240_000) }] : [],
  });
  return {
    conversationId: entityId(KIND.conversation, i),
    conversationStart: iso(start),
    conversationEnd: iso(start + 240_000),
    originatingDirection: "inbound",
    divisionIds: [DIVISION_ID],
    mediaStatsMinConversationMos: 4.4,
    participants: [
      { participantId: entityId(KIND.participant, i * 2), purpose: "customer", sessions: [session(0, "customer")] },
      {
        participantId: entityId(KIND.participant, i * 2 + 1),
        participantName: agent.name,
        purpose: "agent",
        userId: agent.id,
        sessions: [session(1, "agent")],
      },
    ],
  };
}

/** User `i` of a user details job: one day's presence and routing status. */
export function analyticsUserDetail(i: number, users: number) {
  const day = Math.floor(i / users) * 86_400_000;
  return {
    userId: user(i % users).id,
    primaryPresence: [
      { startTime: iso(day), endTime: iso(day + 3_600_000), systemPresence: "AVAILABLE", organizationPresenceId: entityId(0xad00000d, 1) },
      { startTime: iso(day + 3_600_000), endTime: iso(day + 3_900_000), systemPresence: "BREAK", organizationPresenceId: entityId(0xad00000d, 2) },
    ],
    routingStatus: [{ startTime: iso(day), endTime: iso(day + 3_600_000), routingStatus: "IDLE" }],
  };
}
