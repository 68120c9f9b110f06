// A small RFC 6455 WebSocket server side on node:http's `upgrade` event (no dependency): the handshake, text
// frames (fragmented too), client masking, ping/pong, the close handshake — and the faults the notifications
// simulator needs: a drop without close frame (FIN), and a stall (alive TCP, nothing sent, nothing answered).
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** Messages above this close the socket with 1009 (message too big). */
const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A close we started gets this long for the client's answer before the socket is destroyed. */
const CLOSE_TIMEOUT_MS = 1_000;

export interface SimWebSocketHandlers {
  onText(text: string): void;
  /** Once, when the TCP connection is gone. `code`: the close frame's code, undefined when none was exchanged. */
  onClose(code: number | undefined): void;
}

export interface SimWebSocket {
  /** Writes a text frame; false when the socket is not open (closing, dropped, stalled). */
  sendText(text: string): boolean;
  /** Starts the close handshake (close frame, then the TCP end once the client answers). */
  close(code: number, reason: string): void;
  /** Ends the TCP connection without a close frame, after what was written (the client sees code 1006). */
  drop(): void;
  /** Goes dead: nothing more is sent or answered, the TCP connection stays up until the client gives up. */
  stall(): void;
  destroy(): void;
  readonly open: boolean;
}

/** Writes a plain HTTP answer to an upgrade request that is refused, and ends the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = JSON.stringify({ message: text, code: status === 404 ? "not.found" : "bad.request", status });
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? "Not Found" : "Bad Request"}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Completes the handshake of `req` and returns the socket, or refuses it (400) and returns undefined. */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, handlers: SimWebSocketHandlers): SimWebSocket | undefined {
  const key = req.headers["sec-websocket-key"];
  if (String(req.headers.upgrade).toLowerCase() !== "websocket" || typeof key !== "string" || Buffer.from(key, "base64").length !== 16) {
    refuseUpgrade(socket, 400, "Not a WebSocket handshake (Upgrade: websocket and a 16-byte Sec-WebSocket-Key are required).");
    return undefined;
  }
  if (req.headers["sec-websocket-version"] !== "13") {
    refuseUpgrade(socket, 400, "Unsupported Sec-WebSocket-Version (13 is required).");
    return undefined;
  }
  const accept = createHash("sha1")
    .update(key + GUID)
    .digest("base64");
  // No extension is accepted (permessage-deflate offers are ignored), so frames are plain.
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);

  let state: "open" | "closing" | "stalled" | "dropped" | "closed" = "open";
  let buffer: Buffer = head.length > 0 ? Buffer.from(head) : Buffer.alloc(0);
  let fragments: Buffer[] | undefined;
  let fragmentBytes = 0;
  let closeCode: number | undefined;
  let closeTimer: NodeJS.Timeout | undefined;

  const write = (opcode: number, payload: Buffer) => {
    if (!socket.writable) return;
    socket.write(Buffer.concat([frameHeader(opcode, payload.length), payload]));
  };
  const sendClose = (code: number, reason: string) => {
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason.slice(0, 120)));
    payload.writeUInt16BE(code, 0);
    payload.write(reason.slice(0, 120), 2);
    write(0x8, payload);
  };
  const failed = (code: number, reason: string): false => {
    fail(code, reason);
    return false;
  };
  const fail = (code: number, reason: string) => {
    if (state === "closed") return;
    sendClose(code, reason);
    state = "closing";
    socket.end();
  };

  function onData(chunk: Buffer): void {
    if (state === "stalled" || state === "dropped" || state === "closed") return;
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    while (buffer.length >= 2) {
      const b0 = buffer[0];
      const b1 = buffer[1];
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      if ((b0 & 0x70) !== 0) return fail(1002, "reserved bits set (no extension was agreed)");
      if ((b1 & 0x80) === 0) return fail(1002, "client frames must be masked");
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        const big = buffer.readBigUInt64BE(2);
        if (big > BigInt(MAX_MESSAGE_BYTES)) return fail(1009, "message too big");
        length = Number(big);
        offset = 10;
      }
      if (length > MAX_MESSAGE_BYTES) return fail(1009, "message too big");
      if (buffer.length < offset + 4 + length) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
      buffer = buffer.subarray(offset + 4 + length);
      if (opcode >= 0x8 && (!fin || length > 125)) return fail(1002, "control frames must be whole and at most 125 bytes");
      if (!handleFrame(fin, opcode, payload)) return;
    }
  }

  /** False when the socket stops reading. */
  function handleFrame(fin: boolean, opcode: number, payload: Buffer): boolean {
    switch (opcode) {
      case 0x0: // continuation
        if (!fragments) return failed(1002, "continuation without a first frame");
        return collect(fin, payload);
      case 0x1: // text
      case 0x2: // binary (accepted, decoded as text: Genesys's protocol is JSON text)
        if (fragments) return failed(1002, "a new message started before the last one ended");
        fragments = [];
        fragmentBytes = 0;
        return collect(fin, payload);
      case 0x8: {
        // close: answer it (when we did not start it) and end the TCP connection
        closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        if (state === "open") sendClose(closeCode === 1005 ? 1000 : closeCode, "");
        state = "closing";
        socket.end();
        return false;
      }
      case 0x9: // ping → pong with the same payload
        if (state === "open") write(0xa, payload);
        return true;
      case 0xa: // pong
        return true;
      default:
        return failed(1002, `unknown opcode ${opcode}`);
    }
  }

  function collect(fin: boolean, payload: Buffer): boolean {
    fragments!.push(payload);
    fragmentBytes += payload.length;
    if (fragmentBytes > MAX_MESSAGE_BYTES) return failed(1009, "message too big");
    if (!fin) return true;
    const text = Buffer.concat(fragments!).toString("utf8");
    fragments = undefined;
    if (state === "open") handlers.onText(text);
    return true;
  }

  socket.on("data", onData);
  socket.on("error", () => socket.destroy());
  // node:http upgrades sockets half-open: when the client ends its side (even of a stalled socket), end ours.
  socket.once("end", () => socket.end());
  socket.once("close", () => {
    const wasStalledOrDropped = state === "stalled" || state === "dropped";
    state = "closed";
    if (closeTimer) clearTimeout(closeTimer);
    handlers.onClose(wasStalledOrDropped ? undefined : closeCode);
  });
  if (buffer.length > 0) {
    const initial = buffer;
    buffer = Buffer.alloc(0);
    queueMicrotask(() => onData(initial));
  }

  return {
    sendText(text) {
      if (state !== "open") return false;
      write(0x1, Buffer.from(text, "utf8"));
      return true;
    },
    close(code, reason) {
      if (state !== "open") return;
      sendClose(code, reason);
      state = "closing";
      closeCode = code;
      closeTimer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
    },
    drop() {
      if (state === "closed" || state === "dropped") return;
      state = "dropped";
      socket.end();
      closeTimer = setTimeout(() => socket.destroy(), CLOSE_TIMEOUT_MS);
    },
    stall() {
      if (state === "open") state = "stalled";
    },
    destroy() {
      socket.destroy();
    },
    get open() {
      return state === "open";
    },
  };
}

function frameHeader(opcode: number, length: number): Buffer {
  if (length < 126) return Buffer.from([0x80 | opcode, length]);
  if (length < 65_536) {
    const header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(10);
  header[0] = 0x80 | opcode;
  header[1] = 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}
