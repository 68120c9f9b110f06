// The transport's in-memory answer behaves as a Response: one read, bodyUsed, clone, a stream on demand.
import { describe, expect, it } from "vitest";
import { BufferedResponse } from "../../src/transport/buffered-response.js";

const from = (status = 200) => ({
  status,
  statusText: "OK",
  headers: new Headers({ "content-type": "application/json", "x-a": "1" }),
  url: "http://h/x",
  redirected: true,
});
const bytes = (text: string) => new TextEncoder().encode(text);

describe("BufferedResponse", () => {
  it("reads once (json, text, arrayBuffer, bytes, blob), keeps status, headers, url and redirected", async () => {
    const r = new BufferedResponse(bytes('{"a":1}'), from());
    expect(r).toBeInstanceOf(Response);
    expect([r.status, r.ok, r.headers.get("x-a"), r.url, r.redirected, r.bodyUsed]).toEqual([200, true, "1", "http://h/x", true, false]);
    const copy = r.clone();
    expect(await r.json()).toEqual({ a: 1 });
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toThrow(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
    expect(await copy.clone().text()).toBe('{"a":1}');
    expect(new Uint8Array(await copy.clone().arrayBuffer())).toEqual(bytes('{"a":1}'));
    expect(await copy.clone().bytes()).toEqual(bytes('{"a":1}'));
    expect((await copy.blob()).type).toBe("application/json");
  });

  it("gives a stream to whoever asks for body, and no body for empty answers or 204/304", async () => {
    const r = new BufferedResponse(bytes("hello"), from());
    expect(await new Response(r.body).text()).toBe("hello");
    expect(r.bodyUsed).toBe(true);
    expect(new BufferedResponse(new Uint8Array(0), from()).body).toBeNull();
    const noContent = new BufferedResponse(bytes("ignored"), from(204));
    expect(noContent.body).toBeNull();
    expect(await noContent.text()).toBe("");
  });
});
