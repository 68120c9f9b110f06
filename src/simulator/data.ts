// Deterministic, realistic entities: item `i` of a listing is always the same object, so pages are stable
// and tests can predict ids. Shapes follow the spec's User, MessageConversation, ExternalContact,
// AuditLogMessage and Assistant definitions (the commonly used fields).

const FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Margaret", "Ken", "Radia", "Linus", "Frances", "John"];
const LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Thompson", "Perlman", "Torvalds", "Allen", "Backus"];
const DEPARTMENTS = ["Support", "Sales", "Billing", "Retention", "Operations"];
const BASE_DATE = Date.UTC(2025, 0, 6, 9, 0, 0);
const ORG_ID = "0f3a5c1e-7b2d-4e8f-9a6b-5d4c3b2a1f00";
const DIVISION = { id: "a1b2c3d4-0000-4000-8000-000000000001", name: "Home", selfUri: "/api/v2/authorization/divisions/a1b2c3d4-0000-4000-8000-000000000001" };

/** A UUID-shaped id; the first group tells the kind, the last the index. */
export function entityId(kind: number, index: number): string {
  return `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${index.toString(16).padStart(12, "0")}`;
}

const KIND = { user: 0x5e000001, conversation: 0xc0000002, contact: 0xec000003, audit: 0xa0000004, assistant: 0xa5000005, participant: 0x9a000006 };

/** Index of a user id produced by `user()`, or undefined. */
export function userIndex(id: string, users: number): number | undefined {
  const match = /^5e000001-0000-4000-8000-([0-9a-f]{12})$/.exec(id);
  if (!match) return undefined;
  const index = parseInt(match[1], 16);
  return index < users ? index : undefined;
}

function name(i: number): { first: string; last: string } {
  return { first: FIRST[i % FIRST.length], last: LAST[Math.floor(i / FIRST.length + i) % LAST.length] };
}

function isoDate(minutes: number): string {
  return new Date(BASE_DATE + minutes * 60_000).toISOString();
}

export function user(i: number) {
  const id = entityId(KIND.user, i);
  const { first, last } = name(i);
  const email = `${first}.${last}${i}@example.com`.toLowerCase();
  return {
    id,
    name: `${first} ${last}`,
    division: DIVISION,
    chat: { jabberId: `${id}@sim.orgspan.com` },
    department: DEPARTMENTS[i % DEPARTMENTS.length],
    email,
    primaryContactInfo: [{ address: email, mediaType: "EMAIL", type: "PRIMARY" }],
    addresses: [],
    state: "active",
    title: i === 0 ? "Administrator" : "Agent",
    username: email,
    version: 1 + (i % 3),
    acdAutoAnswer: false,
    dateLastLogin: isoDate(i * 7),
    selfUri: `/api/v2/users/${id}`,
  };
}

export function userMe() {
  return { ...user(0), organization: { id: ORG_ID, name: "Simulated Org", selfUri: `/api/v2/organizations/${ORG_ID}` } };
}

export function conversation(i: number, users: number) {
  const id = entityId(KIND.conversation, i);
  const agent = user(i % users);
  const started = isoDate(i * 3);
  return {
    id,
    participants: [
      {
        id: entityId(KIND.participant, i * 2),
        purpose: "customer",
        state: "connected",
        direction: "inbound",
        held: false,
        address: `+1317555${String(i % 10_000).padStart(4, "0")}`,
        startTime: started,
        connectedTime: started,
        type: "SMS",
      },
      {
        id: entityId(KIND.participant, i * 2 + 1),
        name: agent.name,
        purpose: "agent",
        state: "connected",
        direction: "inbound",
        held: false,
        startTime: started,
        connectedTime: started,
        user: { id: agent.id, selfUri: agent.selfUri },
        type: "SMS",
      },
    ],
    selfUri: `/api/v2/conversations/messages/${id}`,
  };
}

export function externalContact(i: number) {
  const id = entityId(KIND.contact, i);
  const { first, last } = name(i + 5);
  const phone = `+1317555${String(i % 10_000).padStart(4, "0")}`;
  return {
    id,
    firstName: first,
    lastName: last,
    workEmail: `${first}.${last}@customer${i % 17}.example.org`.toLowerCase(),
    cellPhone: { display: phone, e164: phone, acceptsSMS: true, countryCode: "US" },
    type: "Curated",
    createDate: isoDate(i),
    modifyDate: isoDate(i + 60),
    division: { id: DIVISION.id, name: DIVISION.name, selfUri: DIVISION.selfUri },
    selfUri: `/api/v2/externalcontacts/contacts/${id}`,
  };
}

const SERVICES = [
  ["Architect", "Flow", "Publish"],
  ["Directory", "User", "Update"],
  ["Routing", "Queue", "Create"],
  ["Integrations", "Action", "Update"],
] as const;

export function auditMessage(i: number, users: number) {
  const [serviceName, entityType, action] = SERVICES[i % SERVICES.length];
  const actor = user(i % users);
  const entity = entityId(0xe0000007, i);
  return {
    id: entityId(KIND.audit, i),
    userHomeOrgId: ORG_ID,
    user: { id: actor.id, name: actor.name, selfUri: actor.selfUri },
    remoteIp: [`203.0.113.${i % 250}`],
    serviceName,
    level: "USER",
    eventDate: isoDate(i * 2),
    message: {
      localizableMessageCode: `${serviceName.toLowerCase()}.${action.toLowerCase()}`,
      message: `${actor.name} ${action.toLowerCase()}d ${entityType} ${i}`,
    },
    action,
    entity: { id: entity, name: `${entityType} ${i}` },
    entityType,
    status: "SUCCESS",
    application: "sim-client",
  };
}

export function assistant(i: number) {
  const id = entityId(KIND.assistant, i);
  return {
    id,
    name: `Assistant ${i + 1}`,
    dateCreated: isoDate(i * 11),
    dateModified: isoDate(i * 11 + 5),
    state: i % 5 === 4 ? "Inactive" : "Active",
    transcriptionConfig: { vendorName: "Genesys" },
    knowledgeSuggestionConfig: {
      vendorName: "GenesysKnowledge",
      knowledgeBase: { id: entityId(0xb0000008, i % 3), selfUri: `/api/v2/knowledge/knowledgebases/${entityId(0xb0000008, i % 3)}` },
    },
    selfUri: `/api/v2/assistants/${id}`,
  };
}
