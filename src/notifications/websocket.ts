// Which WebSocket to use: the caller's, the global one (browsers, Node 22+, Deno, Bun), else the `ws` package —
// imported only here, dynamically, and only when there is no global one, so no bundle carries it by default.
import { NotificationError } from "../errors.js";
import type { WebSocketConstructor } from "./types.js";

/** Loads a module by name; the indirection keeps bundlers from resolving the optional `ws` at build time. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const importModule: ModuleImporter = (specifier) => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);

let fromWs: Promise<WebSocketConstructor> | undefined;

export async function loadWebSocket(given?: WebSocketConstructor, importer: ModuleImporter = importModule): Promise<WebSocketConstructor> {
  if (given) return given;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (typeof global === "function") return global;
  if (importer !== importModule) return importWs(importer);
  return (fromWs ??= importWs(importer).catch((error) => {
    fromWs = undefined; // installed later: try again next time
    throw error;
  }));
}

async function importWs(importer: ModuleImporter): Promise<WebSocketConstructor> {
  let mod: { WebSocket?: unknown; default?: unknown };
  try {
    mod = (await importer("ws")) as typeof mod;
  } catch (cause) {
    throw new NotificationError(
      "Notifications need a WebSocket: this runtime has no global WebSocket (Node.js < 22) and the optional peer dependency `ws` is not installed. " +
        "Run `npm install ws`, use Node.js 22+, or pass `WebSocket` in the subscribe options.",
      "websocket-unavailable",
      undefined,
      { cause },
    );
  }
  const ctor = mod.WebSocket ?? (mod.default as { WebSocket?: unknown } | undefined)?.WebSocket ?? mod.default;
  if (typeof ctor !== "function")
    throw new NotificationError("The `ws` package did not export a WebSocket class; install ws 8 or later.", "websocket-unavailable");
  return ctor as WebSocketConstructor;
}
