// The simulator's HTTP server on 127.0.0.1: reads each request, plans the reply, waits the latency, writes it.
// Every socket and timer is tracked so `close()` leaves nothing behind.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ConfigurationError } from "../errors.js";
import { errorBody } from "./errors.js";
import { createFaultTable } from "./faults.js";
import { jobStateName } from "./job-routes.js";
import { createJobStore } from "./jobs.js";
import { createNotificationHub } from "./notifications.js";
import { createTokenStore } from "./oauth.js";
import { DEFAULTS, resolveOptions } from "./options.js";
import { planReply, resolveTarget, TOKEN_PATH, type Plan, type SimState } from "./pipeline.js";
import { seededRandom } from "./random.js";
import { createLimitStack } from "./limit-stack.js";
import { jsonReply } from "./reply.js";
import { createStats } from "./stats.js";
import type { Simulator, SimulatorOptions } from "./types.js";

const HOST = "127.0.0.1";
/** Request bodies above this answer 413: the simulator never buffers without bound. */
const MAX_BODY_BYTES = 1024 * 1024;

/** Starts a Genesys-like server on 127.0.0.1 (API and login on one origin). */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const initial = resolveOptions(DEFAULTS, options);
  const startedAt = performance.now();
  const random = seededRandom(initial.seed);
  const state: SimState = {
    options: initial,
    tokens: createTokenStore(),
    limiter: createLimitStack(initial.rateLimit, initial.limits),
    faults: createFaultTable(initial.faults, random, startedAt),
    random,
    stats: createStats(startedAt),
    jobs: createJobStore(startedAt),
    notifications: createNotificationHub(initial.notifications),
  };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  /** Resolves when each open response is done: `close()` waits for them so the stats are final. */
  const responses = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => onRequest(req, res));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  // WebSockets of the Notifications API (`connectUri`): /channels/{id} on the same port.
  server.on("upgrade", (req, socket, head) => (closing ? socket.destroy() : state.notifications.upgrade(req, socket, head)));
  // Malformed HTTP from a client: drop that connection, keep serving.
  server.on("clientError", (_error, socket) => socket.destroy());

  function onRequest(req: IncomingMessage, res: ServerResponse): void {
    const method = (req.method ?? "GET").toUpperCase();
    const url = parseUrl(req.url);
    const target = resolveTarget(method, url.pathname);
    const arrival = state.stats.arrive(method, target.route, method === "POST" && url.pathname === TOKEN_PATH);
    const correlationId = randomUUID();
    res.setHeader("ININ-Correlation-Id", correlationId);
    let timer: NodeJS.Timeout | undefined;
    let broken = false;
    const done = new Promise<void>((resolve) =>
      res.once("close", () => {
        if (timer) {
          clearTimeout(timer);
          timers.delete(timer);
        }
        state.stats.finish(arrival, res.writableFinished && !broken ? res.statusCode : 0);
        responses.delete(done);
        resolve();
      }),
    );
    responses.add(done);

    readBody(req).then(
      (body) => {
        if (closing || res.destroyed) return void res.destroy();
        if (body === undefined) {
          const tooLarge = jsonReply(413, errorBody(413, "payload.too.large", `The request body is larger than ${MAX_BODY_BYTES} bytes.`, correlationId));
          return send({ delayMs: 0, reply: { ...tooLarge, headers: { ...tooLarge.headers, connection: "close" } }, reset: false });
        }
        const request = { method, path: url.pathname, query: url.searchParams, headers: req.headers, body, correlationId, params: {} };
        let plan: Plan;
        try {
          plan = planReply(request, target, state, performance.now());
        } catch {
          plan = {
            delayMs: 0,
            reply: jsonReply(500, errorBody(500, "internal.server.error", "The simulator failed to handle the request.", correlationId)),
            reset: false,
          };
        }
        if (plan.delayMs <= 0) return send(plan);
        timer = setTimeout(() => {
          if (timer) timers.delete(timer);
          timer = undefined;
          send(plan);
        }, plan.delayMs);
        timers.add(timer);
      },
      () => res.destroy(),
    );

    function send({ reply, reset }: Plan): void {
      if (res.destroyed) return;
      if (!reset) {
        res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) });
        res.end(reply.body);
        return;
      }
      // Connection reset mid-response: headers promise the whole body, half of it arrives, then the socket dies.
      broken = true;
      res.writeHead(reply.status, { ...reply.headers, "content-length": String(Buffer.byteLength(reply.body)) });
      res.write(reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))), () => res.destroy());
    }
  }

  function readBody(req: IncomingMessage): Promise<string | undefined> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      req.once("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")));
      req.once("error", reject);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(initial.port, HOST, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigurationError(`The simulator could not listen on ${HOST}:${initial.port}: ${error.code ?? error.message}`, { cause: error });
  });
  const { port } = server.address() as AddressInfo;
  state.notifications.setOrigin(`http://${HOST}:${port}`);

  return {
    url: `http://${HOST}:${port}`,
    port,
    stats: () => ({ ...state.stats.snapshot(), notifications: state.notifications.stats(), jobs: state.jobs.records(performance.now(), jobStateName) }),
    resetStats: () => {
      state.stats.reset();
      state.jobs.reset();
      state.notifications.resetStats();
    },
    publish: (topic, body) => state.notifications.publish(topic, body),
    notificationFault: (kind) => state.notifications.fault(kind),
    configure(patch) {
      if (patch && typeof patch === "object" && "port" in patch) throw new ConfigurationError("port cannot change at run time; start another simulator");
      const next = resolveOptions(state.options, patch);
      if ("rateLimit" in patch || "limits" in patch) state.limiter = createLimitStack(next.rateLimit, next.limits);
      if ("faults" in patch) state.faults = createFaultTable(next.faults, state.random, performance.now());
      if (patch.seed !== undefined) state.random.reseed(next.seed);
      state.options = next;
      state.notifications.configure(next.notifications);
    },
    issueToken(ttlSeconds = state.options.tokenTtlSeconds) {
      if (!(typeof ttlSeconds === "number" && Number.isFinite(ttlSeconds) && ttlSeconds > 0)) {
        throw new ConfigurationError(`issueToken: ttlSeconds must be a number > 0 (got ${String(ttlSeconds)})`);
      }
      return state.tokens.issue(ttlSeconds, performance.now(), state.options.clients[0]?.clientId);
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        state.notifications.close();
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }).then(() => Promise.all([...responses]).then(() => undefined));
      return closing;
    },
  };
}

function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? "/", `http://${HOST}`);
  } catch {
    return new URL("/", `http://${HOST}`);
  }
}
